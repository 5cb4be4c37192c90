"""Values every page needs: the navigation for the user's role and the unread count."""

from __future__ import annotations

from django.http import HttpRequest

from portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": navigation_for(request), "unread_notifications": unread}
