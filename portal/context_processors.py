"""Values every page needs from the portal: the unread notifications count.

The navigation by role comes from accounts.context_processors: roles are accounts', and
portal sits below accounts.
"""

from __future__ import annotations

from django.http import HttpRequest

from portal.selectors import notification_unread_count


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notification_unread_count(user.pk)
    return {"unread_notifications": unread}
