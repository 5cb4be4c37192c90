"""A past that was written at once (the demo's months of roll-ins) must not arrive as news now.

The demo walks every order through the real services on a simulated clock, so every step
notifies and e-mails as it would have then. Delivered today, that is a flood (1,720 e-mails,
594 unread notifications for the coordination on first login) about things long done. What
is still news is what waits for someone now: that stays unread, the rest is settled.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from orders.links import order_url_for
from portal.models import DigestEntry, Notification, OutgoingEmail
from rollin.models import Rollin
from rollin.pipeline import people_whose_move


def backlog_settle(*, user_ids: Iterable[int], outbox_after_id: int) -> dict[str, int]:
    """For `user_ids`, after a past was written in one go: drop the outbox rows written since
    `outbox_after_id` and the reminders collected for the digest (both report the past), mark
    the notifications read as of when they were written, and leave unread, per order waiting on
    someone now (a step of theirs, or a failure for the coordination), the newest notification
    of that order to each person whose move it is."""
    users = list(user_ids)
    emails, _by_model = OutgoingEmail.objects.filter(pk__gt=outbox_after_id).delete()
    reminders, _by_model = DigestEntry.objects.filter(user_id__in=users, digest=None).delete()
    Notification.objects.filter(user_id__in=users, read_at__isnull=True).update(
        read_at=F("created_at")
    )
    unread = 0
    waiting = Rollin.objects.filter(
        status__in=(Rollin.Status.WAITING, Rollin.Status.FAILING)
    ).select_related("order__authority__state", "stage", "template")
    for rollin in waiting:
        for user in people_whose_move(rollin):
            unread += _keep_newest_unread(user.pk, order_url_for(rollin.order, user))
    return {"emails_dropped": emails, "reminders_dropped": reminders, "unread": unread}


def _keep_newest_unread(user_id: int, url: str) -> int:
    newest = (
        Notification.objects.filter(user_id=user_id, url=url)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if newest is None:
        return 0
    return Notification.objects.filter(pk=newest).update(read_at=None)
