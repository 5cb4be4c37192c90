"""Security middleware that is not Django's own, and the API's bounded pagination.

RejectNulBytesMiddleware: PostgreSQL cannot store or compare text containing NUL (0x00); a
NUL in a path, query or form value reached a query unvalidated in several views (order
numbers, state keys, slugs, the checkout draft) and ended in a 500. No legitimate input
contains it, so such a request is answered once, here, with a German 400.

BoundedLimitOffsetPagination: DRF's LimitOffsetPagination has no upper bound by default; a
limit or offset beyond PostgreSQL's bigint made the open-data API fail with a 500.

RequireMfaMiddleware: coordinators and admins see every order of a state, with contact data.
A stolen password alone must not open that, so once signed in they can only reach the TOTP
setup (and sign out) until they have activated an authenticator (ASVS 2.2 / BSI APP.3.1 A.1).
Whether the authenticator exists is asked of the database once a minute per session (the
session remembers the answer), not on every request: a removal in the session that made it
counts at once (allauth's authenticator_removed signal), one by an admin within the minute.

The Django admin (5.2) needs no relaxed Content-Security-Policy: its templates load every
script from static files and carry no inline script or style attribute
(tests/security/test_hardening.py checks the admin pages we use under the strict policy).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.pagination import LimitOffsetPagination

if TYPE_CHECKING:
    from rest_framework.request import Request

# Pages a signed-in user without a second factor may still use: to set it up, to prove who
# they are while doing so (allauth asks to reauthenticate), and to leave.
MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_login",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "health",
        "set_language",
        "imprint",
        "privacy",
        "accessibility",
    }
)


def user_needs_mfa(user: object) -> bool:
    """True if the role is in settings.DIGITALMARKT_REQUIRE_MFA_ROLES (superusers: admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    required = set(settings.DIGITALMARKT_REQUIRE_MFA_ROLES)
    role = "admin" if getattr(user, "is_superuser", False) else getattr(user, "role", "")
    return role in required


def user_has_totp(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    # allauth ships no types: say what exists() returns.
    has_totp: bool = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return has_totp


# When the TOTP was last found; re-asked after settings.SESSION_REFRESH_SECONDS, the interval
# at which the idle refresh saves the session anyway (portal.sessions). A session is one
# user's: Django's login() empties it when another user signs in.
TOTP_SEEN_SESSION_KEY = "_totp_seen"


def session_has_totp(request: HttpRequest) -> bool:
    """user_has_totp, remembered in the session for SESSION_REFRESH_SECONDS."""
    now = int(time.time())
    seen = request.session.get(TOTP_SEEN_SESSION_KEY)
    if seen is not None and now - seen < settings.SESSION_REFRESH_SECONDS:
        return True
    if not user_has_totp(request.user):
        request.session.pop(TOTP_SEEN_SESSION_KEY, None)
        return False
    request.session[TOTP_SEEN_SESSION_KEY] = now
    return True


def forget_totp_seen(request: HttpRequest | None, **_kwargs: object) -> None:
    """allauth's authenticator_removed: the session that removed it asks again at once."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(TOTP_SEEN_SESSION_KEY, None)


def _is_exempt(request: HttpRequest) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 reveals nothing
    return match.url_name in MFA_EXEMPT_URL_NAMES


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user_needs_mfa(user) and not _is_exempt(request) and not session_has_totp(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info:
        return True
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sources:
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    return False


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return HttpResponseBadRequest(
                _("Die Anfrage enthält ein unzulässiges Steuerzeichen (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 1000
    max_offset = 10**9

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), self.max_offset)
