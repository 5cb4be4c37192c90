"""Reads of the portal's own rows that every page needs."""

from __future__ import annotations

from django.core.cache import cache

from portal.models import Notification
from portal.user_version import kept

# An upper bound for a count the invalidation could have missed (a write outside
# portal.services); every write through the services clears it at once.
UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"portal:unread:{user_id}"


def notification_unread_count(user_id: int, *, version: str | None = None) -> int:
    """The user's unread notifications: every page shows it, so a query per request would
    cost every page. Counted once per version of the user (portal.user_version), which every
    change of their notifications moves, in the process's memory; without a version (the
    request that signs in) from the shared cache."""
    if version is not None:
        return kept("unread", user_id, version, lambda: _count_unread(user_id))
    key = unread_cache_key(user_id)
    count: int | None = cache.get(key)
    if count is None:
        count = _count_unread(user_id)
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def _count_unread(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
