"""Internals of the roll-in's writers: locking, history, stage entry, notifications.

Only rollin.state, rollin.services and rollin.worker call these; every caller already holds
the Rollin row lock inside a transaction, which is what makes `seq` gap-free and stage moves
single.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import router
from django.db.models.constants import OnConflict
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.selectors import coordinators_of_states
from orders.links import order_url_for
from portal.digests import digest_entry_add
from portal.durability import without_waiting_for_disk
from portal.services import Message, email_send, notification_text, notify
from rollin.figure_versions import reference_version
from rollin.models import (
    HistoryEntry,
    ItemDefinition,
    Rollin,
    RollinItem,
    StageDefinition,
    StageTemplate,
)
from rollin.transitions import next_in_line
from rollin.turn import whose_turn
from rollin.workdays import add_working_days


def lock_rollin(*, redoable: bool = False, **lookup: Any) -> Rollin:
    """The Rollin row, locked until the end of the surrounding transaction. `redoable`: the
    transaction is a worker step, redone when lost, and commits without waiting for the
    disk (portal.durability; the lock query carries the setting)."""
    rollins = Rollin.objects.select_for_update(of=("self",)).select_related(
        "order__authority__state", "order__service", "template", "stage"
    )
    return (without_waiting_for_disk(rollins) if redoable else rollins).get(**lookup)


def relock_rollin(held: Rollin, *, redoable: bool = False) -> Rollin:
    """The worker's next transaction on a roll-in it read before: the row is read (and
    locked) again; its order (with authority, state and service) and its template never
    change for a roll-in, and its stage only with a transition, so the objects read with the
    first lock are kept — a join over six tables less per step. `redoable` as above."""
    rollins = Rollin.objects.select_for_update()
    rollin = (without_waiting_for_disk(rollins) if redoable else rollins).get(pk=held.pk)
    rollin.order = held.order
    rollin.template = held.template
    if rollin.stage_id == held.stage_id:
        # A stage moves only in a transition under this lock: unchanged, it is the same.
        rollin.stage = held.stage
    return rollin


def history_append(
    rollin: Rollin,
    action: str,
    *,
    actor: User | None = None,
    from_stage: StageDefinition | None = None,
    to_stage: StageDefinition | None = None,
    from_status: str = "",
    to_status: str = "",
    item: RollinItem | None = None,
    reason: str = "",
    reason_key: str = "",
    reason_params: dict[str, Any] | None = None,
    detail: str = "",
    now: datetime.datetime | None = None,
) -> HistoryEntry:
    # The caller saves the rollin (with last_seq) in the same transaction; were it to forget,
    # the unique (rollin, seq) constraint fails the next append instead of leaving a gap.
    rollin.last_seq += 1
    return HistoryEntry.objects.create(
        rollin=rollin,
        seq=rollin.last_seq,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        from_status=from_status,
        to_status=to_status,
        item=item,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        reason=reason,
        reason_key=reason_key,
        reason_params=reason_params or {},
        detail=detail,
        created_at=now or timezone.now(),
    )


def stage_items_create(rollin: Rollin, stage: StageDefinition) -> list[RollinItem] | None:
    """Items are created from the definitions as they are when the stage is entered.

    Returns the stage's items, saved, in their definitions' order, when all of them are new;
    None when some existed already (a template edit moved the stage behind the roll-in, so it
    enters it a second time), and only a read tells their state.
    """
    # .all(): the definitions next_stage read with the template's stages, if it did.
    definitions = sorted(stage.items.all(), key=lambda d: (d.position, d.pk))
    items = [RollinItem(rollin=rollin, definition=d, stage=stage) for d in definitions]
    if not items:
        return []
    # bulk_create(ignore_conflicts=True) would leave the ids unset and cost a read of what it
    # wrote. INSERT … ON CONFLICT DO NOTHING RETURNING id answers with the inserted rows' ids,
    # in the order given (bulk_create relies on that order too). QuerySet._insert is the
    # method bulk_create and Model.save call, private and so not in django-stubs; a row-less
    # answer to a single item is None. tests/rollin/test_worker_reads.py holds it to this.
    using = router.db_for_write(RollinItem, instance=rollin)
    rows = RollinItem.objects._insert(  # type: ignore[attr-defined]
        items,
        using=using,
        fields=[f for f in RollinItem._meta.concrete_fields if not f.primary_key],
        returning_fields=[RollinItem._meta.pk],
        on_conflict=OnConflict.IGNORE,
    )
    inserted = [row for row in rows if row is not None]
    if len(inserted) < len(items):
        return None
    for item, (pk,) in zip(items, inserted, strict=True):
        item.pk = pk
        item._state.adding = False
        item._state.db = using
    return items


def current_items(rollin: Rollin, stage: StageDefinition | None = None) -> list[RollinItem]:
    """The stage's items in their definitions' order."""
    stage = stage or rollin.stage
    at_stage = RollinItem.objects.filter(rollin=rollin, stage=stage)
    definitions = _definitions_read_with(stage)
    # Without the default ordering's two joins; sorted here.
    items = list(at_stage.order_by()) if definitions else []
    if definitions and all(item.definition_id in definitions for item in items):
        for item in items:
            item.definition = definitions[item.definition_id]
        items.sort(key=lambda i: (i.definition.position, i.pk))
    else:  # not read with the stage, or a template edit added a definition since
        items = list(at_stage.select_related("definition").order_by("definition__position", "id"))
    for item in items:
        item.stage = stage  # the stage at hand, not a join to read it once more per item
    return items


def _definitions_read_with(stage: StageDefinition) -> dict[int, ItemDefinition]:
    """The stage's item definitions if they were prefetched with it (next_stage does, for the
    whole walk), by id; else none. Django has no public "is prefetched": `stage.items.all()`
    would send a query when they were not, where a join is cheaper."""
    prefetched = getattr(stage, "_prefetched_objects_cache", {}).get("items")
    return {d.pk: d for d in prefetched} if prefetched is not None else {}


def next_open_item(rollin: Rollin) -> RollinItem | None:
    return next_in_line(current_items(rollin))


def next_stage(rollin: Rollin) -> StageDefinition | None:
    """The stage after the current one, from the template's stages as template_stages
    keeps them."""
    stages = template_stages(rollin.template, containing=rollin.stage_id)
    later = (s for s in stages if s.position > rollin.stage.position)
    return min(later, key=lambda s: s.position, default=None)


# Per process: template id → (reference version, its stages with their item definitions).
_STAGES: dict[int, tuple[str, list[StageDefinition]]] = {}


def template_stages(
    template: StageTemplate, *, containing: int | None = None
) -> list[StageDefinition]:
    """The template's stages, each with its item definitions prefetched, read once per
    process and version of the reference data instead of two queries per walk. Every save
    and delete of a template, stage or item definition moves that version (rollin.apps), so
    the walk after an operator's edit reads them afresh; within a walk, the stages it read
    hold, as they always did. A kept list without the stage `containing` names (the
    roll-in's own) is read afresh too: stages written by a data migration, whose historical
    models send no signals, are found at the latest then."""
    version = reference_version()
    known = _STAGES.get(template.pk)
    if (
        known is not None
        and known[0] == version
        and (containing is None or any(stage.pk == containing for stage in known[1]))
    ):
        return known[1]
    stages = list(template.stages.prefetch_related("items"))
    _STAGES[template.pk] = (version, stages)
    return stages


def stage_position_follow(stage: StageDefinition) -> int:
    """An operator moved a stage within its template: the roll-ins at it follow, since their
    copy of its position sorts the order list. Returns how many changed."""
    at_stage = Rollin.objects.filter(stage=stage).exclude(stage_position=stage.position)
    return at_stage.update(stage_position=stage.position)


def assignee_name_follow(user: User) -> int:
    """A user's last name changed: the roll-ins assigned to them follow, since their copy of
    it sorts the order list. Returns how many changed."""
    assigned = Rollin.objects.filter(assignee=user).exclude(assignee_last_name=user.last_name)
    return assigned.update(assignee_last_name=user.last_name)


def stage_enter(
    rollin: Rollin, stage: StageDefinition, now: datetime.datetime
) -> list[RollinItem] | None:
    """Move the roll-in to `stage` (the caller saves it) and create the stage's items;
    returns them as stage_items_create does."""
    rollin.stage = stage
    rollin.stage_position = stage.position
    rollin.stage_entered_at = now
    rollin.due_at = (
        None
        if stage.is_live
        else add_working_days(now, stage.due_working_days, rollin.order.authority.state.ags)
    )
    rollin.overdue_flagged_at = None
    rollin.reminded_at = None
    rollin.last_progress_at = now
    rollin.next_attempt_at = None
    return stage_items_create(rollin, stage)


# --- notifications --------------------------------------------------------------------------


def staff_of(rollin: Rollin) -> list[User]:
    return list(
        User.objects.filter(role=Role.STAFF, authority_id=rollin.order.authority_id, is_active=True)
    )


def coordinators_of(rollin: Rollin) -> list[User]:
    users = coordinators_of_states([rollin.order.authority.state_id])
    if rollin.assignee_id:
        users = users.filter(pk=rollin.assignee_id)
    return list(users)


def people_for(rollin: Rollin, actor_kind: str) -> list[User]:
    if actor_kind == ItemDefinition.Actor.STAFF:
        return staff_of(rollin)
    return coordinators_of(rollin)


def tell(
    rollin: Rollin,
    *,
    users: list[User],
    text: Message,
    event: Any,
    dedup_key: str,
    email_template: str,
    context: dict[str, Any] | None = None,
) -> None:
    """In-portal notification (German and English) plus e-mail in each recipient's language
    (User.language), once per dedup_key (a re-run repeats nothing). Each reader's link leads to
    the page they act on (coordinators: the coordination's order page) and the e-mail says
    whose turn it is in the reader's words. `event` names what happened in a few words, for
    the subject ("zurückgestellt", "im Wirkbetrieb")."""
    groups: dict[tuple[str, str], list[User]] = {}
    for user in users:
        url = order_url_for(rollin.order, user)
        if notify(users=[user], text=text, url=url, dedup_key=dedup_key) > 0:
            groups.setdefault((user.language or "de", url), []).append(user)
    for (language, url), group in sorted(groups.items()):
        with translation.override(language):
            email_context = {
                **_order_context(rollin, url, reader=group[0]),
                "event": str(event),
                "text": text.render(language),
                **{name: str(value) for name, value in (context or {}).items()},
            }
        # In the caller's transaction: the outbox row commits with the notifications that
        # deduplicate a re-run, so a re-run that sends nothing has nothing left to send.
        email_send(
            to=[u.email for u in group],
            template=email_template,
            context=email_context,
            language=language,
        )


def _order_context(rollin: Rollin, url: str, *, reader: User) -> dict[str, str]:
    """What every roll-in e-mail says about the order, in the active language; `turn` is
    whose turn it is now, in the words of `reader` (everyone in a group shares role and link)."""
    return {
        "order_number": rollin.order.number,
        "authority": rollin.order.authority.name,
        "service": str(rollin.order.service),
        "stage": rollin.stage.display_label,
        "turn": str(whose_turn(rollin, reader).sentence),
        "url": f"{settings.PORTAL_BASE_URL}{url}",
    }


def tell_todo(rollin: Rollin, item: RollinItem) -> None:
    """Tell the side that owns the next manual item that it is theirs now."""
    text = notification_text(
        gettext_lazy("Bestellung %(number)s: „%(item)s“ ist jetzt bei Ihnen."),
        number=rollin.order.number,
        item=item.definition,
    )
    tell(
        rollin,
        users=people_for(rollin, item.definition.actor),
        text=text,
        event=gettext_lazy("ein Schritt ist jetzt bei Ihnen"),
        dedup_key=f"rollin:{rollin.pk}:{rollin.stage.code}:{item.definition.code}:todo:{item.attempts}",
        email_template="rollin_todo",
        context={"item": item.definition},
    )


def tell_status(rollin: Rollin, *, users: list[User], text: Message, event: Any, key: str) -> None:
    tell(
        rollin,
        users=users,
        text=text,
        event=event,
        dedup_key=f"rollin:{rollin.pk}:{key}",
        email_template="rollin_status",
    )


def remind_in_digest(rollin: Rollin, *, users: list[User], text: Message, day_key: str) -> None:
    """A reminder for the people's next daily digest instead of an e-mail of its own; one entry
    per order, person and day (`day_key`), however many reminders the sweep finds for it."""
    by_url: dict[str, list[User]] = {}
    for user in users:
        by_url.setdefault(order_url_for(rollin.order, user), []).append(user)
    for url, group in by_url.items():
        digest_entry_add(users=group, text=text, url=url, dedup_key=f"rollin:{rollin.pk}:{day_key}")


def people_whose_move(rollin: Rollin) -> list[User]:
    """Whose move it is: the side a waiting roll-in waits on (Rollin.waiting_on, kept by the
    transitions), else the coordination."""
    if rollin.waiting_on:
        return people_for(rollin, rollin.waiting_on)
    return coordinators_of(rollin)
