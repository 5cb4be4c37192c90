"""Values every page needs from the portal: the unread notifications count.

The navigation by role comes from accounts.context_processors: roles are accounts', and
portal sits below accounts.
"""

from __future__ import annotations

from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"unread_notifications": unread}
