"""The worker's protocol: claim → call → record, and the sweep that restarts it.

Why no transaction around the HTTP call: holding a row lock for a connector call of up to
`timeout` seconds would block people's actions on that order and tie up a DB connection per
busy worker. Instead each step is claim → call → record: under the lock we claim the next
automatic item (token + `claimed_until`, so another worker leaves the order alone), commit,
call the connector with an idempotency key (order + stage + item), then lock again and record
the result only if our claim still holds and the item is still open. A worker killed mid-call
leaves a claim that expires; the sweep re-enqueues the order and the next call repeats with
the same key, which the Fachverfahren side deduplicates. The call's ConnectorLog row is saved
in the record transaction (no commit of its own per call); a call whose worker died before
recording leaves no row, its repetition does.

The claim itself is bookkeeping, not a status; every status change (stage moves, items done
or failed, giving up, overdue flags) goes through rollin.state.rollin_transition.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import TYPE_CHECKING, Any, NamedTuple

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from portal.services import notification_text
from portal.system_text import SystemText, both_languages
from rollin import transitions
from rollin.failures import connector_failure
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem
from rollin.pipeline import (
    coordinators_of,
    current_items,
    lock_rollin,
    next_stage,
    people_whose_move,
    relock_rollin,
    remind_in_digest,
    staff_of,
    stage_enter,
    tell_status,
)
from rollin.state import Change, TransitionError, history_only, rollin_transition
from rollin.transitions import Action

if TYPE_CHECKING:
    from rollin.connectors import ConnectorResult

Status = Rollin.Status
OVERDUE_REASON = gettext_noop("Frist der Stufe „%(s)s“ überschritten")


class Claim(NamedTuple):
    """What a transaction of the walk hands the next one: the roll-in as committed, the item
    it claimed (None: the walk stops here) and the current stage's items as it left them."""

    rollin: Rollin | None
    item: RollinItem | None = None
    stage_items: list[RollinItem] | None = None


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff with jitter: base·2^(n−1), capped, times a random 0.5–1.5."""
    base = settings.ROLLIN_RETRY_BASE_SECONDS
    seconds = min(settings.ROLLIN_RETRY_MAX_SECONDS, base * 2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=seconds * random.uniform(0.5, 1.5))


def rollin_advance(
    *, order_id: int, connector: Any = None, now: datetime.datetime | None = None
) -> Rollin | None:
    """Walk the order as far as it can go now; safe to run twice or in two workers at once.

    `now` fixes the moment of every step (the demo walks orders in the past); default: the
    clock at each step.
    """
    from rollin.connectors import connector_for

    call = connector
    # Everything the worker writes is in the roll-in's history (and the connector log): an
    # audit-log entry per save would record each change a second time, and read the old row
    # first to diff it. People's edits and the admin's stay audit-logged.
    with disable_auditlog():
        claim = _claim_step(order_id, now or timezone.now())
        for _step in range(100):  # every stage has few items; the bound only guards bugs
            rollin, item = claim.rollin, claim.item
            if item is None:
                break
            assert rollin is not None  # a claimed item comes with its locked roll-in
            item.rollin = rollin  # the claimed state, for the key
            # One connector for the walk: an authority's endpoint is looked up once.
            call = call or connector_for(rollin.order)
            result = call.run(item=item)
            # Recording the answer and claiming the next item share a transaction and a
            # lock: three statements less per step than locking again.
            claim = _record_and_claim(claim, item.pk, result, now or timezone.now())
    return claim.rollin


# --- claim ----------------------------------------------------------------------------------


@transaction.atomic
def _claim_step(order_id: int, now: datetime.datetime) -> Claim:
    """Lock the roll-in and claim its next automatic item (_claim_next)."""
    try:
        # Commits without waiting for the disk: a lost claim expires (module docstring).
        rollin = lock_rollin(order_id=order_id, redoable=True)
    except Rollin.DoesNotExist:
        return Claim(None)
    return _claim_next(rollin, now)


def _claim_next(
    rollin: Rollin, now: datetime.datetime, stage_items: list[RollinItem] | None = None
) -> Claim:
    """Under the lock: move stages while nothing is open; claim the next automatic item.
    `stage_items`: the current stage's items if the caller read them in this transaction."""
    while True:
        if not transitions.allowed(rollin.status, Action.ADVANCE):
            return Claim(rollin)
        if _claimed_at(rollin, now):
            return Claim(rollin)  # another worker is calling the connector for this order
        if rollin.next_attempt_at is not None and rollin.next_attempt_at > now:
            return Claim(rollin)  # backing off; the task or the sweep comes back then
        if stage_items is None:
            stage_items = current_items(rollin)
        item = transitions.next_in_line(stage_items)
        if item is None:
            entered: list[RollinItem] = []
            rollin = rollin_transition(
                action=Action.ADVANCE, locked=rollin, apply=_move_to_next_stage(entered), now=now
            )
            if _claimed_at(rollin, now):  # the move claimed the new stage's first item
                return Claim(rollin, transitions.next_in_line(entered), entered)
            stage_items = entered
            continue
        manual = item.definition.kind == ItemDefinition.Kind.MANUAL
        if (rollin.status == Status.WAITING) != manual:
            # Every transition derives the status from the checklist, so this is a repair
            # (e.g. after a template edit), and a repair leaves its trace too.
            rollin = rollin_transition(
                action=Action.ADVANCE,
                locked=rollin,
                apply=history_only(HistoryEntry.Action.SETTLED),
                now=now,
            )
        if manual:
            return Claim(rollin)
        _claim(rollin, now)
        rollin.save_changes()  # the claim's two fields
        return Claim(rollin, item, stage_items)


def _claimed_at(rollin: Rollin, now: datetime.datetime) -> bool:
    """Whether a claim holds at `now` (a token alone may be left from an expired claim)."""
    return rollin.claimed_until is not None and rollin.claimed_until > now


def _claim(rollin: Rollin, now: datetime.datetime) -> None:
    """Claim the roll-in's next automatic item for this worker; the caller saves the row."""
    rollin.claim_token = uuid.uuid4().hex
    rollin.claimed_until = now + datetime.timedelta(seconds=settings.ROLLIN_CLAIM_SECONDS)


def _move_to_next_stage(entered: list[RollinItem]) -> Any:
    """Enter the next stage; `entered` receives its items, read once for the derived status,
    the worker's next look and its claim. A first automatic item is claimed in the move's
    save, not in a second one."""

    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        target = next_stage(rollin)
        if target is None:
            change = Change(history=HistoryEntry.Action.ADVANCED, live=True)
            change.notices.append(_tell_live)
            return change
        created = stage_enter(rollin, target, now)
        entered[:] = created if created is not None else current_items(rollin)
        change = Change(history=HistoryEntry.Action.ADVANCED, stage_items=entered)
        following = transitions.next_in_line(entered)
        if target.is_live:
            change.notices.append(_tell_live)
        elif following is not None and following.definition.kind == ItemDefinition.Kind.AUTOMATIC:
            _claim(rollin, now)
        return change

    return apply


def _tell_live(rollin: Rollin) -> None:
    tell_status(
        rollin,
        users=staff_of(rollin) + coordinators_of(rollin),
        key="live",
        event=gettext_lazy("im Wirkbetrieb"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s ist im Wirkbetrieb."), n=rollin.order.number
        ),
    )


# --- record ---------------------------------------------------------------------------------


@transaction.atomic
def _record_and_claim(
    claim: Claim, item_id: int, result: ConnectorResult, now: datetime.datetime
) -> Claim:
    """Under the lock again: record the connector's answer, then claim the next item if the
    worker goes on."""
    assert claim.rollin is not None
    # Commits without waiting for the disk: a lost record is redone (module docstring).
    rollin = relock_rollin(claim.rollin, redoable=True)
    if result.log is not None:
        # The call's log row, in this transaction: whether or not our claim still holds.
        result.log.save()
    # Items change only in transitions, and every transition appends to the history: with
    # no entry since the claim, its items are still those in the database.
    unchanged = rollin.last_seq == claim.rollin.last_seq
    known = claim.stage_items if unchanged else None
    rollin, go_on, stage_items = _record_step(
        rollin, claim.rollin.claim_token, item_id, result, now, known
    )
    if not go_on:
        return Claim(rollin)
    if rollin.claim_token:  # the recorded step claimed the next item with its own save
        return Claim(rollin, transitions.next_in_line(stage_items), stage_items)
    return _claim_next(rollin, now, stage_items)


def _record_step(
    rollin: Rollin,
    token: str,
    item_id: int,
    result: ConnectorResult,
    now: datetime.datetime,
    known: list[RollinItem] | None = None,
) -> tuple[Rollin, bool, list[RollinItem]]:
    """Record the connector's answer if our claim still holds (the caller holds the lock).

    Returns the rollin, whether the worker should go on with the next step, and the current
    stage's items as recorded: read once (or `known` from the claim), they give the item,
    the derived status and the next claim.
    """
    if rollin.claim_token != token:
        return rollin, False, []  # our claim expired and someone else took over; theirs counts
    rollin.claim_token = ""
    rollin.claimed_until = None
    stage_items = known if known is not None else current_items(rollin)
    item = next((i for i in stage_items if i.pk == item_id), None)
    if item is None:  # of another stage than the current one; the list stays the current's
        item = RollinItem.objects.select_related("definition", "stage").get(pk=item_id)
    if rollin.status != Status.IN_PROGRESS or item.status == RollinItem.Status.DONE:
        rollin.save_changes()  # the released claim
        return rollin, rollin.status == Status.IN_PROGRESS, stage_items
    # The claim is released by the transition's save, together with the result: one write.
    if result.ok:
        rollin = rollin_transition(
            action=Action.ADVANCE,
            locked=rollin,
            item=item,
            apply=_succeeded(result, stage_items),
            now=now,
        )
        return rollin, True, stage_items
    if item.attempts + 1 >= settings.ROLLIN_MAX_ATTEMPTS:
        rollin = rollin_transition(
            action=Action.FAIL, locked=rollin, item=item, apply=_gave_up(result), now=now
        )
        return rollin, False, stage_items
    rollin = rollin_transition(
        action=Action.ADVANCE, locked=rollin, item=item, apply=_will_retry(result), now=now
    )
    return rollin, False, stage_items


def _succeeded(result: ConnectorResult, stage_items: list[RollinItem]) -> Any:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        item.status = RollinItem.Status.DONE
        item.completed_at = now
        item.next_attempt_at = None
        item.last_error = ""
        item.data = {**item.data, **(result.data or {})}
        item.save(update_fields=["status", "completed_at", "next_attempt_at", "last_error", "data"])
        rollin.last_progress_at = now
        rollin.next_attempt_at = None
        rollin.last_error = ""
        following = transitions.next_in_line(stage_items)
        if following is not None and following.definition.kind == ItemDefinition.Kind.AUTOMATIC:
            # The worker goes on with it: claimed in the transition's save, not a second one.
            _claim(rollin, now)
        return Change(history=HistoryEntry.Action.ITEM_DONE, item=item, stage_items=stage_items)

    return apply


# What _failed_attempt changes on the item.
ATTEMPT_FIELDS = ("attempts", "last_error")


def _failed_attempt(rollin: Rollin, item: RollinItem, error: str) -> None:
    item.attempts += 1
    item.last_error = error
    rollin.last_error = error


def _gave_up(result: ConnectorResult) -> Any:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        _failed_attempt(rollin, item, result.error)
        item.status = RollinItem.Status.FAILED
        item.next_attempt_at = None
        item.save(update_fields=[*ATTEMPT_FIELDS, "status", "next_attempt_at"])
        rollin.next_attempt_at = None
        key, params = connector_failure(result.error, None)
        change = Change(
            history=HistoryEntry.Action.FAILING,
            item=item,
            reason_key=key,
            reason_params=params,
            detail=result.error,
        )
        change.notices.append(lambda r: _tell_failing(r, item))
        return change

    return apply


def _tell_failing(rollin: Rollin, item: RollinItem) -> None:
    # The sentence, not the HTTP answer: the detail is on the order page, for coordinators.
    tell_status(
        rollin,
        users=coordinators_of(rollin),
        key=f"failing:{rollin.last_seq}",
        event=gettext_lazy("Fachverfahren nicht erreichbar"),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s: „%(i)s“ ist fehlgeschlagen. %(sentence)s"),
            n=rollin.order.number,
            i=item.definition,
            sentence=SystemText(*connector_failure(item.last_error, None)),
        ),
    )


def _will_retry(result: ConnectorResult) -> Any:
    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        assert item is not None
        _failed_attempt(rollin, item, result.error)
        item.next_attempt_at = now + retry_delay(item.attempts)
        item.save(update_fields=[*ATTEMPT_FIELDS, "next_attempt_at"])
        rollin.next_attempt_at = item.next_attempt_at
        key, params = connector_failure(result.error, item.next_attempt_at)
        return Change(
            history=HistoryEntry.Action.ITEM_FAILED,
            item=item,
            reason_key=key,
            reason_params=params,
            detail=result.error,
        )

    return apply


# --- the sweep (Celery beat) ----------------------------------------------------------------


def rollin_sweep(*, now: datetime.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Re-enqueue orders due for a retry or stuck, flag overdue ones once, send reminders."""
    from rollin.services import rollin_remind
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


def _flag_overdue(rollin_id: int, now: datetime.datetime) -> None:
    def still_overdue(rollin: Rollin, item: RollinItem | None) -> bool:
        # Flagged by a concurrent sweep, or moved on meanwhile: nothing to do.
        return (
            rollin.overdue_flagged_at is None and rollin.due_at is not None and rollin.due_at < now
        )

    def apply(rollin: Rollin, item: RollinItem | None, at: datetime.datetime) -> Change:
        rollin.overdue_flagged_at = at
        change = Change(
            history=HistoryEntry.Action.OVERDUE,
            reason_key=OVERDUE_REASON,
            reason_params={"s": both_languages(rollin.stage, "label")},
        )
        change.notices.append(lambda r: _remind_overdue(r, at))
        return change

    try:
        rollin_transition(
            action=Action.FLAG_OVERDUE,
            rollin_id=rollin_id,
            guard=still_overdue,
            apply=apply,
            now=now,
        )
    except TransitionError:
        return


def _remind_overdue(rollin: Rollin, at: datetime.datetime) -> None:
    """Into the daily digest of whoever's move it is (one entry per order and day, shared
    with the sweep's reminder of the same order)."""
    remind_in_digest(
        rollin,
        users=people_whose_move(rollin),
        text=notification_text(
            gettext_lazy("Bestellung %(n)s (%(a)s): Frist der Stufe „%(s)s“ überschritten."),
            n=rollin.order.number,
            a=rollin.order.authority.name,
            s=rollin.stage,
        ),
        day_key=f"reminder:{timezone.localdate(at).isoformat()}",
    )
