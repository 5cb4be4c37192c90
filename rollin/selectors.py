"""Reads of the roll-in: what the order page shows of it, for one user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from catalog.models import Service
from orders.models import Order
from orders.selectors import order_visible_to
from rollin import transitions
from rollin.item_extras import item_extra_template
from rollin.models import HistoryEntry, Rollin, RollinItem, StageDefinition, StatusFigure
from rollin.turn import Turn, turn_from_loaded

if TYPE_CHECKING:
    from django.forms import Form

    from accounts.typing import AnyUser


def rollin_visible_to(user: AnyUser | None) -> QuerySet[Rollin]:
    return Rollin.objects.filter(order__in=order_visible_to(user))


def order_list_for(user: Any, *, status: str = "") -> QuerySet[Order]:
    """ "Meine Bestellungen": each order with its roll-in's stage (whose turn it is comes from
    rollin.turn.orders_with_turns, for the page shown)."""
    orders = order_visible_to(user).select_related(
        "service", "authority", "rollin", "rollin__stage"
    )
    if status:
        orders = orders.filter(rollin__status=status)
    return orders


@dataclass
class ItemRow:
    item: RollinItem
    may_complete: bool
    may_reject: bool
    form: Form | None = None
    reject_form: Form | None = None
    extra_template: str = ""  # what another app shows beside it (rollin.item_extras)


@dataclass(frozen=True)
class Step:
    """One stage of the stepper: done, current or to come, with the dates known of it."""

    stage: StageDefinition
    state: str  # "done", "current" or "next"
    entered_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None


@dataclass
class RollinPanel:
    rollin: Rollin
    stages: list[StageDefinition]
    items: list[ItemRow]
    history: list[HistoryEntry]
    turn: Turn
    steps: list[Step]
    may_hold: bool = False
    may_resume: bool = False
    may_cancel: bool = False
    may_assign: bool = False
    may_remind: bool = False
    # Connector errors in full (HTTP status, body): the coordination's to read, not staff's.
    shows_technical_detail: bool = False
    hold_form: Any = None  # the forms are the page's (rollin.actions.panel_forms)
    resume_form: Any = None
    cancel_form: Any = None


def rollin_panel(rollin: Rollin, user: Any) -> RollinPanel:
    """Everything the partial renders of the roll-in and what `user` may do, in a fixed number
    of queries. The forms of those actions are added by the page (rollin.actions.panel_forms).
    """
    rollin = (
        Rollin.objects.select_related("order__authority", "stage", "template", "assignee")
        .prefetch_related(
            Prefetch("template__stages", queryset=StageDefinition.objects.order_by("position")),
            Prefetch(
                "items",
                queryset=RollinItem.objects.select_related("definition", "completed_by").order_by(
                    "stage__position", "definition__position", "id"
                ),
            ),
        )
        .get(pk=rollin.pk)
    )
    rows = [
        ItemRow(
            item=item,
            may_complete=transitions.can_complete_item(item, user, rollin),
            may_reject=transitions.can_reject_item(item, user, rollin),
            extra_template=item_extra_template(item.definition.role),
        )
        for item in rollin.items.all()
        if item.stage_id == rollin.stage_id
    ]
    history = list(
        HistoryEntry.objects.filter(rollin=rollin)
        .select_related("actor", "from_stage", "to_stage", "item__definition")
        .order_by("-seq")
    )
    stages = list(rollin.template.stages.all())
    # Assigning is allowed in every active status, so it says whether the user coordinates
    # this order (each guard reads the user's states again).
    coordinates = transitions.can_assign(rollin, user)
    return RollinPanel(
        rollin=rollin,
        stages=stages,
        items=rows,
        history=history,
        turn=turn_from_loaded(
            rollin, user, items=rollin.items.all(), history=history, coordinates=coordinates
        ),
        steps=rollin_steps(rollin, stages, history),
        may_hold=transitions.can_hold(rollin, user),
        may_resume=transitions.can_resume(rollin, user),
        may_cancel=transitions.can_cancel(rollin, user),
        may_assign=coordinates and rollin.assignee_id != user.pk,
        may_remind=transitions.can_remind(rollin, user),
        shows_technical_detail=bool(getattr(user, "is_coordinator", False)),
    )


def rollin_steps(
    rollin: Rollin, stages: list[StageDefinition], history: list[HistoryEntry]
) -> list[Step]:
    """The stages as a stepper: when each was entered (from the history the panel read
    anyway) and, for the current one, when it is due."""
    entered: dict[int, datetime.datetime] = {}
    for entry in history:  # newest first: the oldest entry into a stage wins
        if entry.to_stage_id is not None and entry.to_stage_id != entry.from_stage_id:
            entered[entry.to_stage_id] = entry.created_at
    current = rollin.stage.position
    steps = []
    for stage in stages:
        if stage.position < current:
            state = "done"
        elif stage.position == current:
            state = "current"
        else:
            state = "next"
        due = rollin.due_at if state == "current" else None
        steps.append(Step(stage=stage, state=state, entered_at=entered.get(stage.pk), due_at=due))
    return steps


# --- what the catalog shows of the roll-in (registered in RollinConfig.ready) ----------------


def service_ordered_count() -> Coalesce:
    """How many authorities hold an active order of the service of the outer query's row.

    An authority holds at most one active order per service (orders' constraint) and a
    roll-in is cancelled exactly when its order is: so this is the maintained roll-ins per
    status without the cancelled ones (rollin.figures), a few rows per service and state,
    not every order ever placed."""
    return _service_figure_sum(~Q(status=Rollin.Status.CANCELLED))


def service_live_count() -> Coalesce:
    """How many authorities run the service of the outer query's row live (see above)."""
    return _service_figure_sum(Q(status=Rollin.Status.LIVE))


def _service_figure_sum(condition: Q) -> Coalesce:
    rows = (
        StatusFigure.objects.filter(condition, service=OuterRef("pk"))
        .order_by()
        .values("service")
        .annotate(n=Sum("orders"))
    )
    return Coalesce(Subquery(rows.values("n")), 0)


def service_stage_outline(service: Service) -> tuple[str | None, list[StageDefinition]]:
    """The stage template's name (None for the default) and its stages by position.

    A service without its own template uses the default one (service=None); if neither
    exists yet, the page simply shows no stages.
    """
    template = getattr(service, "stage_template", None)
    if template is not None:
        return template.name, list(template.stages.order_by("position"))
    stages = StageDefinition.objects.filter(template__service__isnull=True).order_by("position")
    return None, list(stages)
