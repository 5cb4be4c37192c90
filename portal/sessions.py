"""Idle session expiry without a database write on every request.

`SESSION_SAVE_EVERY_REQUEST` would push the expiry forward by rewriting the session row (a
write transaction, a WAL flush) on every page view: at national scale that write costs the
coordinator overview more than rendering it. The expiry only has to move now and then: a
session saved more than SESSION_REFRESH_SECONDS ago is marked modified, so Django's
SessionMiddleware saves it with a fresh expiry and re-sends the cookie. An idle session thus
ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the
last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_AT = "_refreshed_at"


class IdleSessionRefreshMiddleware:
    """Must come after SessionMiddleware, so that its mark is seen when the response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # anonymous visitors get no session row
        now = int(time.time())
        stale = now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS
        if stale or session.modified:
            session[REFRESHED_AT] = now  # marks it modified: SessionMiddleware saves it
        return response
