"""Internals of the roll-in's writers: locking, history, stage entry, notifications.

Only rollin.state, rollin.services and rollin.worker call these; every caller already holds
the Rollin row lock inside a transaction, which is what makes `seq` gap-free and stage moves
single.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.selectors import coordinators_of_states
from portal.services import Message, email_send, notification_text, notify
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem, StageDefinition
from rollin.workdays import add_working_days


def lock_rollin(**lookup: Any) -> Rollin:
    """The Rollin row, locked until the end of the surrounding transaction."""
    return (
        Rollin.objects.select_for_update(of=("self",))
        .select_related("order__authority__state", "order__service", "template", "stage")
        .get(**lookup)
    )


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
        created_at=now or timezone.now(),
    )


def stage_items_create(rollin: Rollin, stage: StageDefinition) -> None:
    """Items are created from the definitions as they are when the stage is entered."""
    definitions = list(stage.items.order_by("position", "id"))
    if definitions:
        RollinItem.objects.bulk_create(
            [RollinItem(rollin=rollin, definition=d, stage=stage) for d in definitions],
            ignore_conflicts=True,
        )


def current_items(rollin: Rollin, stage: StageDefinition | None = None) -> list[RollinItem]:
    return list(
        RollinItem.objects.filter(rollin=rollin, stage=stage or rollin.stage)
        .select_related("definition", "stage")
        .order_by("definition__position", "id")
    )


def next_open_item(rollin: Rollin) -> RollinItem | None:
    for item in current_items(rollin):
        if item.status != RollinItem.Status.DONE:
            return item
    return None


def next_stage(rollin: Rollin) -> StageDefinition | None:
    return (
        rollin.template.stages.filter(position__gt=rollin.stage.position)
        .order_by("position")
        .first()
    )


def stage_enter(rollin: Rollin, stage: StageDefinition, now: datetime.datetime) -> None:
    rollin.stage = stage
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
    stage_items_create(rollin, stage)


# --- notifications --------------------------------------------------------------------------


def order_url(rollin: Rollin) -> str:
    try:
        return reverse("orders:order_detail", args=[rollin.order.number])
    except NoReverseMatch:
        return ""


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
    dedup_key: str,
    email_template: str,
    context: dict[str, Any] | None = None,
) -> None:
    """In-portal notification (German and English) plus e-mail (German, as every e-mail of
    the portal), once per dedup_key (a re-run repeats nothing)."""
    url = order_url(rollin)
    recipients = [
        u for u in users if notify(users=[u], text=text, url=url, dedup_key=dedup_key) > 0
    ]
    if not recipients:
        return
    email_context = {
        "order_number": rollin.order.number,
        "authority": rollin.order.authority.name,
        "service": str(rollin.order.service),
        "stage": rollin.stage.label,
        "text": text.render("de"),
        "url": f"{settings.PORTAL_BASE_URL}{url}",
        **(context or {}),
    }
    # In the caller's transaction: the outbox row commits with the notifications that
    # deduplicate a re-run, so a re-run that sends nothing has nothing left to send.
    email_send(to=[u.email for u in recipients], template=email_template, context=email_context)


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
        dedup_key=f"rollin:{rollin.pk}:{rollin.stage.code}:{item.definition.code}:todo:{item.attempts}",
        email_template="rollin_todo",
        context={"item": item.definition.label},
    )


def tell_status(rollin: Rollin, *, users: list[User], text: Message, key: str) -> None:
    tell(
        rollin,
        users=users,
        text=text,
        dedup_key=f"rollin:{rollin.pk}:{key}",
        email_template="rollin_status",
    )
