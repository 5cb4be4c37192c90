"""What an authority has of each service: ordered, in roll-in at a stage (with whose turn),
or live. One read for the staff's start page and the catalog's marks (registered into the
catalog from RollinConfig.ready, as the catalog sits below the roll-in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from orders.models import Order
from rollin.models import Rollin, StageDefinition
from rollin.turn import Turn, orders_with_turns

if TYPE_CHECKING:
    from accounts.typing import AnyUser


@dataclass(frozen=True)
class ServiceState:
    """The reader's authority's active order of one service."""

    kind: str  # "ordered" (no roll-in yet), "rollin" or "live"
    order: Order
    stage: StageDefinition | None
    turn: Turn | None

    @property
    def label(self) -> str:
        if self.kind == "live":
            return _("Im Wirkbetrieb")
        if self.kind == "rollin" and self.stage is not None:
            return _("In Einführung, Stufe „%(stage)s“") % {"stage": self.stage.display_label}
        return _("Bestellt")


def service_states_for(user: AnyUser | None) -> dict[int, ServiceState]:
    """By service id, for staff of an authority (empty for everyone else): three queries."""
    if user is None or not user.is_authenticated or not getattr(user, "is_authority_staff", False):
        return {}
    orders = (
        Order.objects.filter(authority=user.authority, cancelled_at__isnull=True)
        .select_related("service", "authority", "rollin", "rollin__stage")
        .order_by("service__position", "service__name")
    )
    states = {}
    for order in orders_with_turns(orders, user, coordinates=False):
        rollin = getattr(order, "rollin", None)
        if rollin is not None and rollin.status == Rollin.Status.CANCELLED:
            continue
        kind = (
            "ordered"
            if rollin is None
            else "live"
            if rollin.status == Rollin.Status.LIVE
            else "rollin"
        )
        states[order.service_id] = ServiceState(
            kind=kind,
            order=order,
            stage=rollin.stage if rollin is not None else None,
            turn=getattr(order, "turn", None),
        )
    return states
