"""Values every page needs from the portal: the unread notifications count and the addresses
the header's forms and links lead to.

The navigation by role comes from accounts.context_processors: roles are accounts', and
portal sits below accounts.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from portal.selectors import notification_unread_count
from portal.user_version import version_of


def portal(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = notification_unread_count(user.pk, version=version_of(user))
    return {
        "unread_notifications": unread,
        "header_urls": _header_urls(get_script_prefix(), get_urlconf()),
    }


@functools.lru_cache(maxsize=16)
def _header_urls(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    """The header's addresses (notifications, language, signing out): the same on every page,
    so reversed once per process (per script prefix and URLconf, which reverse() depends on);
    reversing them took a tenth of a signed-in page."""
    return {
        name: reverse(url_name, urlconf=urlconf)
        for name, url_name in (
            ("notifications", "portal:notifications"),
            ("set_language", "set_language"),
            ("logout", "account_logout"),
        )
    }
