"""People's writes of the roll-in: start, complete and reject items, hold, resume, cancel,
assign, remind.

Each one is an action of the transition table with its guard and a mutation of everything but
the status; rollin.state.rollin_transition locks, checks, applies the target, writes the
history and saves. The worker's protocol (claim, call, record, sweep) lives in rollin.worker.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from orders.models import Order
from portal.services import Message, notification_text
from rollin import transitions
from rollin.models import HistoryEntry, Rollin, RollinItem, StageTemplate
from rollin.pipeline import (
    coordinators_of,
    next_open_item,
    people_for,
    remind_in_digest,
    staff_of,
    stage_enter,
    tell_status,
)
from rollin.state import Change, TransitionError, rollin_transition
from rollin.transitions import Action

if TYPE_CHECKING:
    from accounts.models import User

__all__ = [
    "TransitionError",
    "rollin_assign",
    "rollin_cancel",
    "rollin_hold",
    "rollin_item_complete",
    "rollin_item_reject",
    "rollin_remind",
    "rollin_resume",
    "rollin_start",
]

Status = Rollin.Status
UNASSIGNED_REASON = gettext_noop("Zuweisung aufgehoben")


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise TransitionError(message)


def _reason(reason: str) -> str:
    _require(bool(reason.strip()), _("Bitte geben Sie einen Grund an."))
    return reason.strip()


def template_for(order: Order) -> StageTemplate:
    """The service's own template, else the default one (service empty)."""
    template = StageTemplate.objects.filter(service_id=order.service_id).first()
    return template or StageTemplate.objects.get(service__isnull=True)


# --- start ----------------------------------------------------------------------------------


@transaction.atomic
def rollin_start(*, order: Order, now: datetime.datetime | None = None) -> Rollin:
    """Create the roll-in of a new order at its first stage; a second call returns it."""
    existing = Rollin.objects.filter(order=order).first()
    if existing is not None:
        return existing
    template = template_for(order)
    first = template.stages.order_by("position").first()
    if first is None:
        raise TransitionError(_("Die Stufenvorlage hat keine Stufen."))
    now = now or timezone.now()
    # Created in the model's default status; the START transition derives the first one.
    created = Rollin.objects.create(
        order=order,
        state_id=order.authority.state_id,
        service_id=order.service_id,
        template=template,
        stage=first,
        stage_entered_at=now,
        last_progress_at=now,
    )

    def enter_first_stage(rollin: Rollin, item: RollinItem | None, at: datetime.datetime) -> Change:
        stage_enter(rollin, first, at)
        return Change(history=HistoryEntry.Action.PLACED, wake_worker=True)

    rollin_transition(
        action=Action.START,
        rollin_id=created.pk,
        actor=order.placed_by,
        guard=lambda rollin, item: rollin.last_seq == 0,
        apply=enter_first_stage,
        now=now,
    )
    created.refresh_from_db()  # the instance cached as order.rollin sees the final state
    return created


# --- checklist items ------------------------------------------------------------------------


def rollin_item_complete(
    *,
    item_id: int,
    actor: User,
    document: File | None = None,
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> RollinItem:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        if item.definition.requires_document and document is None:
            raise TransitionError(_("Bitte laden Sie das Dokument hoch."))
        if document is not None:
            assert document.name is not None  # an upload always has a name
            item.document.save(document.name.rsplit("/", 1)[-1], document, save=False)
        return _item_done(rollin, item, actor, now, data or {})

    def guard(rollin: Rollin, item: RollinItem | None) -> bool:
        assert item is not None
        return transitions.can_complete_item(item, actor, rollin)

    rollin_transition(
        action=Action.COMPLETE_ITEM,
        item_id=item_id,
        actor=actor,
        guard=guard,
        refusal=_("Dieser Punkt kann von Ihnen derzeit nicht erledigt werden."),
        apply=apply,
        now=now,
    )
    return RollinItem.objects.select_related("definition", "stage").get(pk=item_id)


def _item_done(
    rollin: Rollin, item: RollinItem, actor: User, now: datetime.datetime, data: dict[str, Any]
) -> Change:
    """An item done by a person: who, when, what they entered; the worker moves on."""
    item.status = RollinItem.Status.DONE
    item.data = {**item.data, **data}
    item.completed_by = actor
    item.completed_at = now
    item.rejection_reason = ""
    item.save()
    rollin.last_progress_at = now
    return Change(history=HistoryEntry.Action.ITEM_DONE, item=item, wake_worker=True)


def rollin_training_attended(*, item_id: int, actor: User, session: str) -> RollinItem:
    """A coordinator records that the authority attended the training `session` (its label):
    the training item is done as if the authority had confirmed it, with the same history
    entry, and the worker moves on (the go-live approval is next)."""

    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        return _item_done(rollin, item, actor, now, {"training_session": session})

    def guard(rollin: Rollin, item: RollinItem | None) -> bool:
        assert item is not None
        return transitions.can_record_training(item, actor, rollin)

    rollin_transition(
        action=Action.COMPLETE_ITEM,
        item_id=item_id,
        actor=actor,
        guard=guard,
        refusal=_("Die Schulung kann für diese Bestellung derzeit nicht bestätigt werden."),
        apply=apply,
    )
    return RollinItem.objects.select_related("definition", "stage").get(pk=item_id)


def rollin_item_reject(*, item_id: int, actor: User, reason: str) -> RollinItem:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        item.status = RollinItem.Status.REJECTED
        item.rejection_reason = _reason(reason)
        item.attempts += 1  # a new round: the owner is told again
        item.completed_at = None
        item.completed_by = None
        item.save()
        change = Change(
            history=HistoryEntry.Action.ITEM_REJECTED, item=item, reason=item.rejection_reason
        )
        change.notices.append(lambda r: _tell_rejected(r, item))
        return change

    def guard(rollin: Rollin, item: RollinItem | None) -> bool:
        assert item is not None
        return transitions.can_reject_item(item, actor, rollin)

    rollin_transition(
        action=Action.REJECT_ITEM,
        item_id=item_id,
        actor=actor,
        guard=guard,
        refusal=_("Dieser Punkt kann nicht zurückgewiesen werden."),
        apply=apply,
    )
    return RollinItem.objects.select_related("definition", "stage").get(pk=item_id)


def _tell_rejected(rollin: Rollin, item: RollinItem) -> None:
    # The transition told the owner the item is theirs again; this says why.
    tell_status(
        rollin,
        users=people_for(rollin, item.definition.actor),
        key=f"rejected:{rollin.last_seq}",
        event=gettext_lazy("ein Schritt wurde zurückgewiesen"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s: „%(i)s“ wurde zurückgewiesen: %(r)s"),
            n=rollin.order.number,
            i=item.definition,
            r=item.rejection_reason,
        ),
    )


# --- the order as a whole -------------------------------------------------------------------


def rollin_hold(
    *, rollin_id: int, actor: User, reason: str, now: datetime.datetime | None = None
) -> Rollin:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        rollin.hold_reason = _reason(reason)
        change = Change(history=HistoryEntry.Action.HELD, reason=rollin.hold_reason)
        change.notices.append(_tell_held)
        return change

    return rollin_transition(
        action=Action.HOLD,
        rollin_id=rollin_id,
        actor=actor,
        guard=lambda rollin, item: transitions.can_hold(rollin, actor),
        refusal=_("Die Bestellung kann nicht zurückgestellt werden."),
        apply=apply,
        now=now,
    )


def _tell_held(rollin: Rollin) -> None:
    tell_status(
        rollin,
        users=staff_of(rollin),
        key=f"held:{rollin.last_seq}",
        event=gettext_lazy("zurückgestellt"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s wurde zurückgestellt: %(r)s"),
            n=rollin.order.number,
            r=rollin.hold_reason,
        ),
    )


def rollin_resume(*, rollin_id: int, actor: User, reason: str) -> Rollin:
    """Release a hold, or retry a failing order; the reason is kept in the history."""

    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        change = Change(
            history=HistoryEntry.Action.RESUMED, reason=_reason(reason), wake_worker=True
        )
        if rollin.status == Status.ON_HOLD:  # the staff were told of the hold, so of its end
            change.notices.append(_tell_resumed)
        else:  # failing: retry the failed automatic item from scratch
            RollinItem.objects.filter(
                rollin=rollin, stage=rollin.stage, status=RollinItem.Status.FAILED
            ).update(status=RollinItem.Status.OPEN, attempts=0, next_attempt_at=None)
            rollin.last_error = ""
        rollin.next_attempt_at = None
        rollin.last_progress_at = now
        return change

    return rollin_transition(
        action=Action.RESUME,
        rollin_id=rollin_id,
        actor=actor,
        guard=lambda rollin, item: transitions.can_resume(rollin, actor),
        refusal=_("Die Bestellung kann nicht fortgesetzt werden."),
        apply=apply,
    )


def _tell_resumed(rollin: Rollin) -> None:
    tell_status(
        rollin,
        users=staff_of(rollin),
        key=f"resumed:{rollin.last_seq}",
        event=gettext_lazy("wird fortgesetzt"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s wird fortgesetzt."), n=rollin.order.number
        ),
    )


def rollin_cancel(*, rollin_id: int, actor: User, reason: str) -> Rollin:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        text = _reason(reason)
        rollin.next_attempt_at = None
        order = rollin.order
        if order.cancelled_at is None:
            order.cancelled_at = now
            order.cancelled_by = actor
            order.cancel_reason = text
            order.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        # Who acted decides who is told: staff tell the coordination and the other way round.
        told = coordinators_of if transitions.is_staff_for(actor, rollin) else staff_of
        change = Change(history=HistoryEntry.Action.CANCELLED, reason=text)
        change.notices.append(lambda r: _tell_cancelled(r, told(r), text))
        return change

    return rollin_transition(
        action=Action.CANCEL,
        rollin_id=rollin_id,
        actor=actor,
        guard=lambda rollin, item: transitions.can_cancel(rollin, actor),
        refusal=_("Die Bestellung kann nicht mehr storniert werden."),
        apply=apply,
    )


def _tell_cancelled(rollin: Rollin, users: list[Any], reason: str) -> None:
    tell_status(
        rollin,
        users=users,
        key="cancelled",
        event=gettext_lazy("storniert"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s wurde storniert: %(r)s"),
            n=rollin.order.number,
            r=reason,
        ),
    )


def rollin_assign(*, rollin_id: int, actor: User, assignee: User | None) -> Rollin:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        if assignee is not None:
            _require(
                transitions.is_coordinator_for(assignee, rollin),
                _("Zuweisen lässt sich nur an die Koordination dieses Landes."),
            )
        rollin.assignee = assignee
        rollin.assignee_last_name = assignee.last_name if assignee is not None else None
        if assignee is None:
            return Change(history=HistoryEntry.Action.ASSIGNED, reason_key=UNASSIGNED_REASON)
        return Change(history=HistoryEntry.Action.ASSIGNED, reason=str(assignee))

    return rollin_transition(
        action=Action.ASSIGN,
        rollin_id=rollin_id,
        actor=actor,
        guard=lambda rollin, item: transitions.can_assign(rollin, actor),
        refusal=_("Sie können diese Bestellung nicht zuweisen."),
        apply=apply,
    )


def rollin_remind(
    *, rollin_id: int, actor: User | None, now: datetime.datetime | None = None
) -> Rollin:
    def may_remind(rollin: Rollin, item: RollinItem | None) -> bool:
        # The sweep (actor None) reminds on its own authority; people need the guard.
        return (actor is None and rollin.status == Status.WAITING) or transitions.can_remind(
            rollin, actor
        )

    def apply(rollin: Rollin, item: RollinItem | None, at: datetime.datetime) -> Change:
        rollin.reminded_at = at
        waiting_on = next_open_item(rollin)
        change = Change(history=HistoryEntry.Action.REMINDED, item=waiting_on)
        if waiting_on is not None and actor is None:  # the sweep: into the daily digest
            change.notices.append(lambda r: _remind_in_digest(r, waiting_on, at))
        elif waiting_on is not None:  # a person asked for it: an e-mail now
            change.notices.append(lambda r: _tell_reminder(r, waiting_on))
        return change

    return rollin_transition(
        action=Action.REMIND,
        rollin_id=rollin_id,
        actor=actor,
        guard=may_remind,
        refusal=_("Eine Erinnerung ist jetzt nicht möglich."),
        apply=apply,
        now=now,
    )


def _reminder_text(rollin: Rollin, item: RollinItem) -> Message:
    return notification_text(
        gettext_lazy("Erinnerung: Bestellung %(n)s (%(a)s) wartet auf „%(i)s“."),
        n=rollin.order.number,
        a=rollin.order.authority.name,
        i=item.definition,
    )


def _tell_reminder(rollin: Rollin, item: RollinItem) -> None:
    tell_status(
        rollin,
        users=people_for(rollin, item.definition.actor),
        key=f"remind:{rollin.last_seq}",
        event=gettext_lazy("Erinnerung"),
        text=_reminder_text(rollin, item),
    )


def _remind_in_digest(rollin: Rollin, item: RollinItem, at: datetime.datetime) -> None:
    remind_in_digest(
        rollin,
        users=people_for(rollin, item.definition.actor),
        text=_reminder_text(rollin, item),
        day_key=f"reminder:{timezone.localdate(at).isoformat()}",
    )
