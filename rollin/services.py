"""Writes of the roll-in: the only code that changes a Rollin's stage or status.

Every function locks the Rollin row (select_for_update), checks the transition table and the
guards of rollin.transitions, writes, appends a HistoryEntry with the next gap-free `seq`, and
enqueues the worker after commit where there is work for it — all in one transaction.
"""

from __future__ import annotations

import datetime
import functools
import logging
import random
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError

from orders.models import Order
from portal.services import notification_text
from rollin import transitions
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem, StageTemplate
from rollin.pipeline import (
    coordinators_of,
    history_append,
    lock_rollin,
    next_open_item,
    next_stage,
    people_for,
    staff_of,
    stage_enter,
    tell_status,
    tell_todo,
)
from rollin.transitions import Action

Status = Rollin.Status
logger = logging.getLogger(__name__)


class TransitionError(ValidationError):
    """An action that the transition table or a guard forbids (German message)."""


def _enqueue_advance(order_id: int) -> None:
    transaction.on_commit(functools.partial(_publish_advance, order_id))


def _publish_advance(order_id: int) -> None:
    """Hand the order to the worker; a broker outage must not fail the committed request."""
    from rollin.tasks import advance  # tasks imports services

    try:
        advance.delay(order_id)
    except KombuOperationalError:
        # The database is the source of truth: the sweep re-enqueues the order once the
        # broker is back, so the user's action stands and nothing is lost.
        logger.warning("Broker unreachable; the sweep will pick up order %s.", order_id)


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise TransitionError(message)


def template_for(order: Order) -> StageTemplate:
    """The service's own template, else the default one (service empty)."""
    template = StageTemplate.objects.filter(service_id=order.service_id).first()
    return template or StageTemplate.objects.get(service__isnull=True)


def _settle_status(rollin: Rollin) -> None:
    """After a checklist change: derive in_progress/waiting and tell who is next."""
    if rollin.status not in (Status.IN_PROGRESS, Status.WAITING):
        return
    item = next_open_item(rollin)
    if item is not None and item.definition.kind == ItemDefinition.Kind.MANUAL:
        rollin.status = Status.WAITING
        tell_todo(rollin, item)
    else:
        rollin.status = Status.IN_PROGRESS


# --- start ----------------------------------------------------------------------------------


@transaction.atomic
def rollin_start(*, order: Order) -> Rollin:
    """Create the roll-in of a new order at its first stage; a second call returns it."""
    existing = Rollin.objects.filter(order=order).first()
    if existing is not None:
        return existing
    template = template_for(order)
    first = template.stages.order_by("position").first()
    if first is None:
        raise TransitionError(_("Die Stufenvorlage hat keine Stufen."))
    now = timezone.now()
    created = Rollin.objects.create(
        order=order,
        template=template,
        stage=first,
        status=Status.IN_PROGRESS,
        stage_entered_at=now,
        last_progress_at=now,
    )
    rollin = lock_rollin(pk=created.pk)
    stage_enter(rollin, first, now)
    _settle_status(rollin)
    history_append(
        rollin,
        HistoryEntry.Action.PLACED,
        actor=order.placed_by,
        to_stage=first,
        to_status=rollin.status,
        now=now,
    )
    rollin.save()
    _enqueue_advance(order.pk)
    created.refresh_from_db()  # the instance cached as order.rollin sees the final state
    return created


# --- people's actions -----------------------------------------------------------------------


def _lock_item(item_id: int) -> tuple[Rollin, RollinItem]:
    rollin_id = RollinItem.objects.values_list("rollin_id", flat=True).get(pk=item_id)
    rollin = lock_rollin(pk=rollin_id)
    item = RollinItem.objects.select_related("definition", "stage").get(pk=item_id)
    return rollin, item


@transaction.atomic
def rollin_item_complete(
    *,
    item_id: int,
    actor: Any,
    document: File | None = None,
    data: dict[str, Any] | None = None,
) -> RollinItem:
    rollin, item = _lock_item(item_id)
    _require(
        transitions.can_complete_item(item, actor, rollin),
        _("Dieser Punkt kann von Ihnen derzeit nicht erledigt werden."),
    )
    if item.definition.requires_document and document is None:
        raise TransitionError(_("Bitte laden Sie das Dokument hoch."))
    now = timezone.now()
    if document is not None:
        assert document.name is not None  # an upload always has a name
        item.document.save(document.name.rsplit("/", 1)[-1], document, save=False)
    item.status = RollinItem.Status.DONE
    item.data = {**item.data, **(data or {})}
    item.completed_by = actor
    item.completed_at = now
    item.rejection_reason = ""
    item.save()
    from_status = rollin.status
    rollin.last_progress_at = now
    _settle_status(rollin)
    history_append(
        rollin,
        HistoryEntry.Action.ITEM_DONE,
        actor=actor,
        item=item,
        from_status=from_status,
        to_status=rollin.status,
        now=now,
    )
    rollin.save()
    _enqueue_advance(rollin.order_id)
    return item


@transaction.atomic
def rollin_item_reject(*, item_id: int, actor: Any, reason: str) -> RollinItem:
    rollin, item = _lock_item(item_id)
    _require(
        transitions.can_reject_item(item, actor, rollin),
        _("Dieser Punkt kann nicht zurückgewiesen werden."),
    )
    _require(bool(reason.strip()), _("Bitte geben Sie einen Grund an."))
    item.status = RollinItem.Status.REJECTED
    item.rejection_reason = reason.strip()
    item.attempts += 1  # a new round: the owner is told again
    item.completed_at = None
    item.completed_by = None
    item.save()
    from_status = rollin.status
    _settle_status(rollin)
    history_append(
        rollin,
        HistoryEntry.Action.ITEM_REJECTED,
        actor=actor,
        item=item,
        from_status=from_status,
        to_status=rollin.status,
        reason=item.rejection_reason,
    )
    rollin.save()
    # _settle_status told the owner the item is theirs again; this says why.
    tell_status(
        rollin,
        users=people_for(rollin, item.definition.actor),
        key=f"rejected:{rollin.last_seq}",
        text=notification_text(
            gettext_lazy("Bestellung %(n)s: „%(i)s“ wurde zurückgewiesen: %(r)s"),
            n=rollin.order.number,
            i=item.definition,
            r=item.rejection_reason,
        ),
    )
    return item


@transaction.atomic
def rollin_hold(*, rollin_id: int, actor: Any, reason: str) -> Rollin:
    rollin = lock_rollin(pk=rollin_id)
    _require(
        transitions.can_hold(rollin, actor), _("Die Bestellung kann nicht zurückgestellt werden.")
    )
    _require(bool(reason.strip()), _("Bitte geben Sie einen Grund an."))
    rollin.status_before_hold = rollin.status
    rollin.status = Status.ON_HOLD
    rollin.hold_reason = reason.strip()
    history_append(
        rollin,
        HistoryEntry.Action.HELD,
        actor=actor,
        from_status=rollin.status_before_hold,
        to_status=rollin.status,
        reason=rollin.hold_reason,
    )
    rollin.save()
    tell_status(
        rollin,
        users=staff_of(rollin),
        key=f"held:{rollin.last_seq}",
        text=notification_text(
            gettext_lazy("Bestellung %(n)s wurde zurückgestellt: %(r)s"),
            n=rollin.order.number,
            r=rollin.hold_reason,
        ),
    )
    return rollin


@transaction.atomic
def rollin_resume(*, rollin_id: int, actor: Any) -> Rollin:
    rollin = lock_rollin(pk=rollin_id)
    _require(
        transitions.can_resume(rollin, actor), _("Die Bestellung kann nicht fortgesetzt werden.")
    )
    from_status = rollin.status
    if from_status == Status.ON_HOLD:
        rollin.status = rollin.status_before_hold or Status.IN_PROGRESS
        rollin.status_before_hold = ""
        rollin.hold_reason = ""
    else:  # failing: retry the failed automatic item from scratch
        RollinItem.objects.filter(
            rollin=rollin, stage=rollin.stage, status=RollinItem.Status.FAILED
        ).update(status=RollinItem.Status.OPEN, attempts=0, next_attempt_at=None)
        rollin.status = Status.IN_PROGRESS
        rollin.last_error = ""
    rollin.next_attempt_at = None
    rollin.last_progress_at = timezone.now()
    history_append(
        rollin,
        HistoryEntry.Action.RESUMED,
        actor=actor,
        from_status=from_status,
        to_status=rollin.status,
    )
    rollin.save()
    if from_status == Status.ON_HOLD:  # the staff were told of the hold, so of its end too
        tell_status(
            rollin,
            users=staff_of(rollin),
            key=f"resumed:{rollin.last_seq}",
            text=notification_text(
                gettext_lazy("Bestellung %(n)s wird fortgesetzt."), n=rollin.order.number
            ),
        )
    _enqueue_advance(rollin.order_id)
    return rollin


@transaction.atomic
def rollin_cancel(*, rollin_id: int, actor: Any, reason: str) -> Rollin:
    rollin = lock_rollin(pk=rollin_id)
    _require(
        transitions.can_cancel(rollin, actor), _("Die Bestellung kann nicht mehr storniert werden.")
    )
    _require(bool(reason.strip()), _("Bitte geben Sie einen Grund an."))
    now = timezone.now()
    from_status = rollin.status
    rollin.status = Status.CANCELLED
    rollin.next_attempt_at = None
    history_append(
        rollin,
        HistoryEntry.Action.CANCELLED,
        actor=actor,
        from_status=from_status,
        to_status=rollin.status,
        reason=reason.strip(),
        now=now,
    )
    rollin.save()
    order = rollin.order
    if order.cancelled_at is None:
        order.cancelled_at = now
        order.cancelled_by = actor
        order.cancel_reason = reason.strip()
        order.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    other_side = (
        coordinators_of(rollin) if transitions.is_staff_for(actor, rollin) else staff_of(rollin)
    )
    tell_status(
        rollin,
        users=other_side,
        key="cancelled",
        text=notification_text(
            gettext_lazy("Bestellung %(n)s wurde storniert: %(r)s"),
            n=order.number,
            r=reason.strip(),
        ),
    )
    return rollin


@transaction.atomic
def rollin_assign(*, rollin_id: int, actor: Any, assignee: Any) -> Rollin:
    rollin = lock_rollin(pk=rollin_id)
    _require(
        transitions.can_assign(rollin, actor), _("Sie können diese Bestellung nicht zuweisen.")
    )
    if assignee is not None:
        _require(
            transitions.is_coordinator_for(assignee, rollin),
            _("Zuweisen lässt sich nur an die Koordination dieses Landes."),
        )
    rollin.assignee = assignee
    history_append(
        rollin,
        HistoryEntry.Action.ASSIGNED,
        actor=actor,
        from_status=rollin.status,
        to_status=rollin.status,
        reason=str(assignee) if assignee is not None else _("Zuweisung aufgehoben"),
    )
    rollin.save()
    return rollin


@transaction.atomic
def rollin_remind(*, rollin_id: int, actor: Any, now: datetime.datetime | None = None) -> Rollin:
    rollin = lock_rollin(pk=rollin_id)
    # The sweep (actor None) reminds on its own authority; people need the guard.
    _require(
        (actor is None and rollin.status == Status.WAITING)
        or transitions.can_remind(rollin, actor),
        _("Eine Erinnerung ist jetzt nicht möglich."),
    )
    now = now or timezone.now()
    item = next_open_item(rollin)
    if item is not None:
        tell_status(
            rollin,
            users=people_for(rollin, item.definition.actor),
            key=f"remind:{rollin.last_seq + 1}",
            text=notification_text(
                gettext_lazy("Erinnerung: Bestellung %(n)s wartet auf „%(i)s“."),
                n=rollin.order.number,
                i=item.definition,
            ),
        )
    rollin.reminded_at = now
    history_append(
        rollin,
        HistoryEntry.Action.REMINDED,
        actor=actor,
        item=item,
        from_status=rollin.status,
        to_status=rollin.status,
        now=now,
    )
    rollin.save()
    return rollin


# --- the worker -----------------------------------------------------------------------------


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff with jitter: base·2^(n−1), capped, times a random 0.5–1.5."""
    base = settings.ROLLIN_RETRY_BASE_SECONDS
    seconds = min(settings.ROLLIN_RETRY_MAX_SECONDS, base * 2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=seconds * random.uniform(0.5, 1.5))


def rollin_advance(*, order_id: int, connector: Any = None) -> Rollin | None:
    """Walk the order as far as it can go now; safe to run twice or in two workers at once.

    Why no transaction around the HTTP call: holding a row lock for a connector call of up to
    `timeout` seconds would block people's actions on that order and tie up a DB connection
    per busy worker. Instead each step is claim → call → record: under the lock we claim the
    next automatic item (token + `claimed_until`, so another worker leaves the order alone),
    commit, call the connector with an idempotency key (order + stage + item), then lock again
    and record the result only if our claim still holds and the item is still open. A worker
    killed mid-call leaves a claim that expires; the sweep re-enqueues the order and the next
    call repeats with the same key, which the Fachverfahren side deduplicates.
    """
    from rollin.connectors import connector_for

    rollin: Rollin | None = None
    for _step in range(100):  # every stage has few items; the bound only guards bugs
        rollin, claimed = _claim_step(order_id)
        if claimed is None:
            break
        assert rollin is not None  # a claimed item comes with its locked roll-in
        item = RollinItem.objects.select_related("definition", "stage").get(pk=claimed)
        item.rollin = rollin  # the claimed state, for the key
        result = (connector or connector_for(rollin.order)).run(item=item)
        rollin, go_on = _record_step(order_id, rollin.claim_token, claimed, result)
        if not go_on:
            break
    return rollin


@transaction.atomic
def _claim_step(order_id: int) -> tuple[Rollin | None, int | None]:
    """Under the lock: move stages while nothing is open; claim the next automatic item."""
    try:
        rollin = lock_rollin(order_id=order_id)
    except Rollin.DoesNotExist:
        return None, None
    now = timezone.now()
    while True:
        if not transitions.allowed(rollin.status, Action.ADVANCE):
            return rollin, None
        if rollin.claimed_until is not None and rollin.claimed_until > now:
            return rollin, None  # another worker is calling the connector for this order
        if rollin.next_attempt_at is not None and rollin.next_attempt_at > now:
            return rollin, None  # backing off; the task or the sweep comes back then
        item = next_open_item(rollin)
        if item is None:
            _move_to_next_stage(rollin, now)
            if rollin.status == Status.LIVE:
                return rollin, None
            continue
        if item.definition.kind == ItemDefinition.Kind.MANUAL:
            if rollin.status != Status.WAITING:
                _settle_status(rollin)
                rollin.save()
            return rollin, None
        rollin.status = Status.IN_PROGRESS
        rollin.claim_token = uuid.uuid4().hex
        rollin.claimed_until = now + datetime.timedelta(seconds=settings.ROLLIN_CLAIM_SECONDS)
        rollin.save()
        return rollin, item.pk


def _move_to_next_stage(rollin: Rollin, now: datetime.datetime) -> None:
    target = next_stage(rollin)
    from_stage, from_status = rollin.stage, rollin.status
    if target is None:  # a template without a live stage: stay, nothing more to do
        rollin.status = Status.LIVE
        rollin.live_at = rollin.live_at or now
    else:
        stage_enter(rollin, target, now)
        _settle_status(rollin)
    history_append(
        rollin,
        HistoryEntry.Action.ADVANCED,
        from_stage=from_stage,
        to_stage=rollin.stage,
        from_status=from_status,
        to_status=rollin.status,
        now=now,
    )
    rollin.save()
    if rollin.status == Status.LIVE:
        tell_status(
            rollin,
            users=staff_of(rollin) + coordinators_of(rollin),
            key="live",
            text=notification_text(
                gettext_lazy("Bestellung %(n)s ist im Wirkbetrieb."), n=rollin.order.number
            ),
        )


@transaction.atomic
def _record_step(order_id: int, token: str, item_id: int, result: Any) -> tuple[Rollin, bool]:
    """Under the lock again: record the connector's answer if our claim still holds.

    Returns the rollin and whether the worker should go on with the next step.
    """
    rollin = lock_rollin(order_id=order_id)
    return rollin, _record(rollin, token, item_id, result)


def _record(rollin: Rollin, token: str, item_id: int, result: Any) -> bool:
    if rollin.claim_token != token:
        return False  # our claim expired and someone else took over; their result counts
    rollin.claim_token = ""
    rollin.claimed_until = None
    item = RollinItem.objects.select_related("definition").get(pk=item_id)
    now = timezone.now()
    if rollin.status != Status.IN_PROGRESS or item.status == RollinItem.Status.DONE:
        rollin.save()
        return rollin.status == Status.IN_PROGRESS
    if result.ok:
        item.status = RollinItem.Status.DONE
        item.completed_at = now
        item.next_attempt_at = None
        item.last_error = ""
        item.data = {**item.data, **(result.data or {})}
        item.save()
        rollin.last_progress_at = now
        rollin.next_attempt_at = None
        rollin.last_error = ""
        history_append(
            rollin,
            HistoryEntry.Action.ITEM_DONE,
            item=item,
            from_status=rollin.status,
            to_status=rollin.status,
            now=now,
        )
        rollin.save()
        return True
    item.attempts += 1
    item.last_error = result.error
    rollin.last_error = result.error
    if item.attempts >= settings.ROLLIN_MAX_ATTEMPTS:
        item.status = RollinItem.Status.FAILED
        item.next_attempt_at = None
        item.save()
        rollin.status = Status.FAILING
        rollin.next_attempt_at = None
        history_append(
            rollin,
            HistoryEntry.Action.FAILING,
            item=item,
            from_status=Status.IN_PROGRESS,
            to_status=rollin.status,
            reason=result.error,
            now=now,
        )
        rollin.save()
        tell_status(
            rollin,
            users=coordinators_of(rollin),
            key=f"failing:{rollin.last_seq}",
            text=notification_text(
                gettext_lazy("Bestellung %(n)s: „%(i)s“ schlägt fehl: %(e)s"),
                n=rollin.order.number,
                i=item.definition,
                e=result.error,
            ),
        )
        return False
    item.next_attempt_at = now + retry_delay(item.attempts)
    item.save()
    rollin.next_attempt_at = item.next_attempt_at
    history_append(
        rollin,
        HistoryEntry.Action.ITEM_FAILED,
        item=item,
        from_status=rollin.status,
        to_status=rollin.status,
        reason=result.error,
        now=now,
    )
    rollin.save()
    return False


# --- the sweep (Celery beat) ----------------------------------------------------------------


def rollin_sweep(*, now: datetime.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Re-enqueue orders due for a retry or stuck, flag overdue ones once, send reminders."""
    from rollin.tasks import advance

    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.ROLLIN_STUCK_SECONDS)
    active = Rollin.objects.filter(status=Status.IN_PROGRESS)
    due = active.filter(next_attempt_at__lte=now, claimed_until__isnull=True)
    expired_claims = active.filter(claimed_until__lte=now)
    stuck = active.filter(
        next_attempt_at__isnull=True, claimed_until__isnull=True, last_progress_at__lte=stuck_before
    )
    order_ids: set[int] = set()
    for qs in (due, expired_claims, stuck):
        order_ids.update(qs.values_list("order_id", flat=True)[:batch])
    for order_id in order_ids:
        advance.delay(order_id)

    overdue_ids = list(
        Rollin.objects.filter(
            status__in=(Status.IN_PROGRESS, Status.WAITING, Status.FAILING),
            due_at__lt=now,
            overdue_flagged_at__isnull=True,
        ).values_list("pk", flat=True)[:batch]
    )
    for rollin_id in overdue_ids:
        _flag_overdue(rollin_id, now)

    remind_before = now - datetime.timedelta(days=settings.ROLLIN_REMIND_EVERY_DAYS)
    remind_ids = list(
        Rollin.objects.filter(status=Status.WAITING, due_at__lt=now)
        .exclude(reminded_at__gt=remind_before)
        .values_list("pk", flat=True)[:batch]
    )
    for rollin_id in remind_ids:
        try:
            rollin_remind(rollin_id=rollin_id, actor=None, now=now)
        except TransitionError:
            continue  # changed since we listed it
    return {"enqueued": len(order_ids), "overdue": len(overdue_ids), "reminded": len(remind_ids)}


@transaction.atomic
def _flag_overdue(rollin_id: int, now: datetime.datetime) -> None:
    rollin = lock_rollin(pk=rollin_id)
    if rollin.overdue_flagged_at is not None or rollin.due_at is None or rollin.due_at >= now:
        return  # flagged by a concurrent sweep, or moved on meanwhile
    if not transitions.allowed(rollin.status, Action.FLAG_OVERDUE):
        return
    rollin.overdue_flagged_at = now
    history_append(
        rollin,
        HistoryEntry.Action.OVERDUE,
        from_status=rollin.status,
        to_status=rollin.status,
        reason=_("Frist der Stufe „%(s)s“ überschritten") % {"s": rollin.stage.label},
        now=now,
    )
    rollin.save()
