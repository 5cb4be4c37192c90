"""Reads of the portal's own rows that every page needs."""

from __future__ import annotations

from portal.models import Notification
from portal.user_version import current_user_version, kept


def notification_unread_count(user_id: int, *, version: str | None = None) -> int:
    """The user's unread notifications: every page shows it, so a query per request would
    cost every page. Counted once per version of the user (portal.user_version), which every
    change of their notifications moves, in the process's memory. `version`: the one the
    request's user was read with; read here for a user read otherwise (the request that
    signs in)."""
    version = version if version is not None else current_user_version(user_id)
    return kept("unread", user_id, version, lambda: _count_unread(user_id))


def _count_unread(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
