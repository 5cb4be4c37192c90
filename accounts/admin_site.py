"""The admin site (/betrieb/): no sign-in of its own, and the second factor where one is due.

Django's admin brings its own login form. It checks the password alone: it knows nothing of
allauth's second factor nor of its rate limits, so an admin with TOTP got in with the
password, and guessing there was never locked out (Issue 13, findings 1 and 2). Here every
sign-in goes through the portal's login (allauth: rate limits, TOTP, session handling), and
the admin opens only to a session that has shown the second factor whenever the account has
one or its role requires one (DIGITALMARKT_REQUIRE_MFA_ROLES) — also a session that reached
the portal some other way, e.g. one left over from before this change.
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.security import user_has_totp, user_needs_mfa


def session_has_second_factor(request: HttpRequest) -> bool:
    """True if this session's sign-in (or a later reauthentication) included the code."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def admin_second_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if not (user_needs_mfa(user) or user_has_totp(user)):
        return True
    return session_has_second_factor(request)


class PortalAdminSite(AdminSite):
    site_header = "DigitalMarkt – Betrieb"
    site_title = "DigitalMarkt"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and admin_second_factor_satisfied(request)

    def _next_url(self, request: HttpRequest) -> str:
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return reverse("admin:index", current_app=self.name)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Takes no password (also not by POST): sends on to where the missing step is done."""
        next_url = self._next_url(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("account_login"))
        if self.has_permission(request):
            return redirect(next_url)
        if not super().has_permission(request):
            # Signed in without admin rights: the portal's login would send them straight
            # back here, round in circles, so they get a plain refusal.
            raise PermissionDenied
        if user_has_totp(user):
            return redirect_to_login(next_url, reverse("mfa_reauthenticate"))
        return redirect("mfa_activate_totp")

    # The stubs pin AdminSite.password_change to a TemplateResponse; Django takes any response.
    def password_change(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Django's form checks the old password without the portal's rate limit, and does
        # not sign out other sessions as ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE asks.
        return redirect("account_change_password")
