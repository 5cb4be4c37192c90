"""After a merger: moving an ended municipality's orders and users to its successor's authority.

An ended municipality's own administration is ended with it (see geo's import); its orders
and staff stay until an operator moves them. Each order goes to the authority responsible for
its service in the successor municipality (`catalog.responsibility`), each user to the
successor's administration. Every change is a model save, so the audit trail records it with
the operator as actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.responsibility import responsible_authority_for
from geo.models import Authority, Municipality
from orders.models import Order

# Called in the move's transaction with the pks of the states whose orders moved. The layers
# above register here (rollin: rebuild the figures it counts per district), since orders may
# not import them.
OrdersMovedListener = Callable[[list[int]], object]
_moved_listeners: list[OrdersMovedListener] = []


def orders_moved_listener_add(listener: OrdersMovedListener) -> None:
    if listener not in _moved_listeners:
        _moved_listeners.append(listener)


class TerritoryMoveError(Exception):
    """The municipality cannot be handed over (not ended, or no successor named)."""


@dataclass
class TerritoryMove:
    orders: int = 0
    users: int = 0
    skipped: list[str] = field(default_factory=list)


def ended_authorities_of(municipality: Municipality) -> list[Authority]:
    """The authorities that served the municipality and were ended with it."""
    ids = [municipality.municipal_authority_id, municipality.district_authority_id]
    return list(Authority.objects.filter(pk__in=[i for i in ids if i], ended_on__isnull=False))


@transaction.atomic
def territory_move_to_successor(*, municipality: Municipality) -> TerritoryMove:
    """Move the active orders and the users of the ended municipality's authority on.

    An order whose new authority already has an active order for the service is left where it
    is and reported: the successor's own order stands, the operator decides (e.g. cancel).
    Running it again changes nothing.
    """
    if municipality.ended_on is None:
        raise TerritoryMoveError(_("%(name)s ist nicht beendet.") % {"name": municipality})
    successor = municipality.successor
    if successor is None or successor.ended_on is not None:
        raise TerritoryMoveError(
            _("Für %(name)s ist keine aktuelle Nachfolgegemeinde eingetragen.")
            % {"name": municipality}
        )
    result = TerritoryMove()
    moved_states: set[int] = set()
    ended = ended_authorities_of(municipality)
    orders = (
        Order.objects.select_for_update()
        .filter(authority__in=ended, cancelled_at__isnull=True)
        .select_related("service", "authority")
    )
    for order in orders:
        target = responsible_authority_for(order.service, successor)
        if target is None or target.pk == order.authority_id:
            continue
        if Order.objects.filter(
            authority=target, service=order.service, cancelled_at__isnull=True
        ).exists():
            result.skipped.append(
                _("%(number)s: %(authority)s hat bereits eine aktive Bestellung für %(service)s.")
                % {"number": order.number, "authority": target, "service": order.service}
            )
            continue
        moved_states.update((order.authority.state_id, target.state_id))
        order.authority = target
        order.save(update_fields=["authority"])
        result.orders += 1
    if moved_states:
        for listener in _moved_listeners:
            listener(sorted(moved_states))
    administration = successor.municipal_authority
    if administration is not None:
        for user in User.objects.filter(authority__in=ended):
            user.authority = administration
            user.save(update_fields=["authority"])
            result.users += 1
    return result
