"""Reads of the portal's own rows that every page needs."""

from __future__ import annotations

from django.core.cache import cache

from portal.models import Notification

# An upper bound for a count the invalidation could have missed (a write outside
# portal.services); every write through the services clears it at once.
UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"portal:unread:{user_id}"


def notification_unread_count(user_id: int) -> int:
    """The user's unread notifications, from the cache while no notification of theirs
    changed: every page shows it, so a query per request would cost every page."""
    key = unread_cache_key(user_id)
    count: int | None = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count
