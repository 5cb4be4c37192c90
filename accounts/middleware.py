"""Django's AuthenticationMiddleware, with the user read as accounts.session_user reads it."""

from __future__ import annotations

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.session_user import session_user


def _user(request: HttpRequest) -> object:
    # Once per request, under the attribute Django's own middleware uses (auth.login and
    # auth.logout replace request.user; nothing else reads _cached_user).
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class SessionUserMiddleware(AuthenticationMiddleware):
    """A subclass, so that the admin's and allauth's checks for Django's middleware hold."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]
