"""Security middleware that is not Django's own.

RequireMfaMiddleware: coordinators and admins see every order of a state, with contact data.
A stolen password alone must not open that, so once signed in they can only reach the TOTP
setup (and sign out) until they have activated an authenticator (ASVS 2.2 / BSI APP.3.1 A.1).

The Django admin (5.2) needs no relaxed Content-Security-Policy: its templates load every
script from static files and carry no inline script or style attribute
(tests/security/test_hardening.py checks the admin pages we use under the strict policy).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

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

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
        if user_needs_mfa(user) and not _is_exempt(request) and not user_has_totp(user):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
