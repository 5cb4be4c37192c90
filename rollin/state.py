"""The one function that changes a roll-in's status: `rollin_transition`.

Every writer (people's actions in rollin.services, the worker in rollin.worker) describes its
change as an action of the transition table, a guard and a mutation of everything but the
status; this function locks the row, asks the table and the guard, lets the writer mutate,
applies the table's target, appends the history entry, saves and queues the notifications —
in one transaction. Nothing else assigns `Rollin.status`.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from rollin import transitions
from rollin.figures import contribution, figures_track
from rollin.models import Rollin, RollinItem, StageDefinition
from rollin.pipeline import history_append, lock_rollin, next_open_item, tell_todo
from rollin.transitions import DERIVED, RESTORE, SAME, Action
from rollin.waiting import waiting_on_for

if TYPE_CHECKING:
    from accounts.models import User

Status = Rollin.Status
logger = logging.getLogger(__name__)


class TransitionError(ValidationError):
    """An action that the transition table or a guard forbids (German message)."""


@dataclass
class Change:
    """What a writer did besides the status: the history entry's action, item and reason, the
    notifications to send once the entry is written, and whether the worker has work now."""

    history: str
    item: RollinItem | None = None
    reason: str = ""  # what a person wrote
    # A reason the system writes: a msgid and its parameters (portal.system_text).
    reason_key: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # technical detail for coordinators (a connector's answer)
    # The worker passed the last stage of a template without a live stage: live nonetheless.
    live: bool = False
    notices: list[Callable[[Rollin], None]] = field(default_factory=list)
    wake_worker: bool = False
    # The current stage's items as the mutation left them, when the writer read them under
    # the lock (the worker): the derived status is then found without reading them again.
    stage_items: list[RollinItem] | None = None


Guard = Callable[[Rollin, RollinItem | None], bool]
Mutation = Callable[[Rollin, RollinItem | None, datetime.datetime], Change]


def _always(rollin: Rollin, item: RollinItem | None) -> bool:
    return True


def rollin_transition(
    *,
    action: str,
    apply: Mutation,
    rollin_id: int | None = None,
    order_id: int | None = None,
    item_id: int | None = None,
    locked: Rollin | None = None,
    item: RollinItem | None = None,
    actor: User | None = None,
    guard: Guard = _always,
    refusal: str = "",
    now: datetime.datetime | None = None,
) -> Rollin:
    """Lock → table and guard → mutate → target status (and whose turn) → history → save →
    figures → notify.

    The row is named by `rollin_id`, `order_id` or the `item_id` of one of its items (that item
    is then handed to the guard and the mutation). Callers that already hold the lock in the
    same transaction may call this again: the lock is re-entrant for its owner. The worker,
    which holds it, passes its `locked` instance (from lock_rollin in this transaction) and
    the `item` it loaded instead, and saves the reads of locking again.

    The roll-in's history is its audit trail (who, when, from → to, why), so the roll-in's
    save here writes no second, audit-log copy of the same change (nor reads the old row for
    it); edits outside transitions (the admin) and the order's cancellation are still
    audit-logged.
    """
    step = functools.partial(
        _transition, action=action, apply=apply, actor=actor, guard=guard, refusal=refusal, now=now
    )
    if locked is not None:
        # The caller's transaction holds the lock (the worker): no savepoint of its own, two
        # statements less per step; an error rolls the caller's transaction back anyway.
        assert transaction.get_connection().in_atomic_block, "locked= needs the lock's transaction"
        return step(rollin=locked, item=item)
    with transaction.atomic():
        rollin, item = _lock(rollin_id=rollin_id, order_id=order_id, item_id=item_id)
        return step(rollin=rollin, item=item)


def _transition(
    *,
    rollin: Rollin,
    item: RollinItem | None,
    action: str,
    apply: Mutation,
    actor: User | None,
    guard: Guard,
    refusal: str,
    now: datetime.datetime | None,
) -> Rollin:
    """rollin_transition under the lock, in the caller's transaction."""
    if not transitions.allowed(rollin.status, action) or not guard(rollin, item):
        raise TransitionError(refusal or _("Diese Aktion ist jetzt nicht möglich."))
    now = now or timezone.now()
    from_stage: StageDefinition | None
    from_status, from_stage = rollin.status, rollin.stage
    # A new roll-in counts from its START on (created in the same transaction just before).
    counted_before = Counter() if action == Action.START else contribution(rollin)
    change = apply(rollin, item, now)
    status, todo = _target(rollin, action, from_status, change)
    rollin.status = status  # the only assignment of Rollin.status in the code base
    rollin.waiting_on = _waiting_on(rollin, action, from_status, todo)
    _keep_invariants(rollin, from_status, now)
    if action == Action.START:  # the first entry comes from nowhere
        from_status, from_stage = "", None
    history_append(
        rollin,
        change.history,
        actor=actor,
        from_stage=from_stage,
        to_stage=rollin.stage,
        from_status=from_status,
        to_status=rollin.status,
        item=change.item,
        reason=change.reason,
        reason_key=change.reason_key,
        reason_params=change.reason_params,
        detail=change.detail,
        now=now,
    )
    with disable_auditlog():
        rollin.save_changes()
    figures_track(counted_before, contribution(rollin))
    if todo is not None:
        tell_todo(rollin, todo)
    for notice in change.notices:
        notice(rollin)
    if change.wake_worker:
        enqueue_advance(rollin.order_id)
    return rollin


def _lock(
    *, rollin_id: int | None, order_id: int | None, item_id: int | None
) -> tuple[Rollin, RollinItem | None]:
    if item_id is not None:
        rollin_id = RollinItem.objects.values_list("rollin_id", flat=True).get(pk=item_id)
    rollin = lock_rollin(pk=rollin_id) if rollin_id is not None else lock_rollin(order_id=order_id)
    if item_id is None:
        return rollin, None
    return rollin, RollinItem.objects.select_related("definition", "stage").get(pk=item_id)


def _target(
    rollin: Rollin, action: str, from_status: str, change: Change
) -> tuple[str, RollinItem | None]:
    """The table's target for the action, resolved; and the manual item now due, if any."""
    target = transitions.target(from_status, action)
    if target == SAME:
        return from_status, None
    if target == RESTORE:
        return rollin.status_before_hold or Status.IN_PROGRESS, None
    if target != DERIVED:
        return str(target), None
    if change.live:
        return Status.LIVE, None
    if change.stage_items is not None:
        assert all(i.stage_id == rollin.stage_id for i in change.stage_items), "another stage"
        item = transitions.next_in_line(change.stage_items)
    else:
        item = next_open_item(rollin)
    status = transitions.derived_status(rollin.stage, item.definition if item else None)
    return status, item if status == Status.WAITING else None


def _waiting_on(rollin: Rollin, action: str, from_status: str, todo: RollinItem | None) -> str:
    """Whose turn the roll-in now is (rollin.waiting). A derived status knows its next item;
    the table's same-status actions change no item; a hold released back to waiting asks
    for the next item again."""
    if rollin.status != Status.WAITING:
        return ""
    if todo is not None:
        return waiting_on_for(rollin.status, todo)
    if transitions.target(from_status, action) == SAME:
        return rollin.waiting_on
    return waiting_on_for(rollin.status, next_open_item(rollin))


def _keep_invariants(rollin: Rollin, from_status: str, now: datetime.datetime) -> None:
    """The fields the database constraints tie to the status (see Rollin.Meta)."""
    if rollin.status == Status.ON_HOLD and from_status != Status.ON_HOLD:
        rollin.status_before_hold = from_status
    elif rollin.status != Status.ON_HOLD:
        rollin.status_before_hold = ""
        rollin.hold_reason = ""
    if rollin.status == Status.LIVE:
        rollin.live_at = rollin.live_at or now


def enqueue_advance(order_id: int) -> None:
    """Hand the order to the worker once the surrounding transaction commits."""
    if not settings.ROLLIN_WAKE_WORKER:
        return  # the caller walks the order itself (the demo); the sweep covers the rest
    transaction.on_commit(functools.partial(_publish_advance, order_id))


def _publish_advance(order_id: int) -> None:
    """A broker outage must not fail the committed request."""
    from rollin.tasks import advance  # tasks imports the worker, which imports this module

    try:
        advance.delay(order_id)
    except KombuOperationalError:
        # The database is the source of truth: the sweep re-enqueues the order once the
        # broker is back, so the user's action stands and nothing is lost.
        logger.warning("Broker unreachable; the sweep will pick up order %s.", order_id)


def history_only(history: str, **kwargs: Any) -> Mutation:
    """A mutation that changes nothing but what the history entry says."""

    def apply(rollin: Rollin, item: RollinItem | None, now: datetime.datetime) -> Change:
        return Change(history=history, **kwargs)

    return apply
