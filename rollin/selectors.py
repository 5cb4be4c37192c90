"""Reads of the roll-in: what the order page shows of it, for one user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Max, Prefetch, QuerySet

from orders.selectors import order_visible_to
from rollin import transitions
from rollin.forms import cancel_form, complete_form, hold_form, reject_form
from rollin.models import HistoryEntry, Rollin, RollinItem, StageDefinition

if TYPE_CHECKING:
    from django.forms import Form

    from accounts.typing import AnyUser


def rollin_data_version() -> str:
    """A value that changes whenever any roll-in changes or an order is placed: the key of
    cached figures (overview, map). Every transition saves the roll-in (`updated_at` moves)
    and every placed order gets its roll-in in the same transaction (a new `order_id`); both
    maxima are read from their indexes in one query."""
    stamp = Rollin.objects.aggregate(changed=Max("updated_at"), newest=Max("order_id"))
    changed = stamp["changed"].isoformat() if stamp["changed"] else "-"
    return f"{changed}|{stamp['newest']}"


def rollin_visible_to(user: AnyUser | None) -> QuerySet[Rollin]:
    return Rollin.objects.filter(order__in=order_visible_to(user))


@dataclass
class ItemRow:
    item: RollinItem
    may_complete: bool
    may_reject: bool
    form: Form | None = None
    reject_form: Form | None = None


@dataclass
class RollinPanel:
    rollin: Rollin
    stages: list[StageDefinition]
    items: list[ItemRow]
    history: list[HistoryEntry]
    may_hold: bool = False
    may_resume: bool = False
    may_cancel: bool = False
    may_assign: bool = False
    may_remind: bool = False
    hold_form: Form = field(default_factory=hold_form)
    cancel_form: Form = field(default_factory=cancel_form)


def rollin_panel(
    rollin: Rollin, user: AnyUser, bound: Mapping[str | None, Form] | None = None
) -> RollinPanel:
    """Everything the partial renders, in a fixed number of queries.

    `bound` holds forms the user just submitted with errors, by prefix: they are shown again
    as typed instead of fresh ones, so nothing the user entered is lost.
    """
    bound = bound or {}
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
    rows = []
    for item in rollin.items.all():
        if item.stage_id != rollin.stage_id:
            continue
        may_complete = transitions.can_complete_item(item, user, rollin)
        may_reject = transitions.can_reject_item(item, user, rollin)
        rows.append(
            ItemRow(
                item=item,
                may_complete=may_complete,
                may_reject=may_reject,
                form=bound.get(f"item{item.pk}") or complete_form(item) if may_complete else None,
                reject_form=bound.get(f"reject{item.pk}") or reject_form(item)
                if may_reject
                else None,
            )
        )
    history = list(
        HistoryEntry.objects.filter(rollin=rollin)
        .select_related("actor", "from_stage", "to_stage", "item__definition")
        .order_by("-seq")
    )
    return RollinPanel(
        rollin=rollin,
        stages=list(rollin.template.stages.all()),
        items=rows,
        history=history,
        may_hold=transitions.can_hold(rollin, user),
        may_resume=transitions.can_resume(rollin, user),
        may_cancel=transitions.can_cancel(rollin, user),
        may_assign=transitions.can_assign(rollin, user) and rollin.assignee_id != user.pk,
        may_remind=transitions.can_remind(rollin, user),
        hold_form=bound.get("hold") or hold_form(),
        cancel_form=bound.get("cancel") or cancel_form(),
    )
