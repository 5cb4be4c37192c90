"""The admin site (/betrieb/) signs in only through the portal's own login (Issue 13, 1 and 2).

Django's admin login asked for the password alone: with TOTP active, an admin got in without
the code, and its failed attempts were counted nowhere, so the portal's lockout did not hold
there. Now /betrieb/login/ checks no password at all and sends people to allauth's login
(rate limits, second factor), and the admin site opens only to a session that has shown the
second factor whenever the account has one or its role requires one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib import admin
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, AdminFactory, StaffFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/betrieb/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    # allauth keeps its counters in the cache; one test's failures must not lock the next.
    cache.clear()
    yield
    cache.clear()


def admin_with_totp() -> tuple[Any, str]:
    user = AdminFactory(email="betrieb@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())  # now, and the tolerance either side
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def admin_pages() -> list[str]:
    """Every page of the admin a reader would want: index, and each model's list and form."""
    pages = ["/betrieb/"]
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return pages


def assert_admin_closed(client: Client) -> None:
    for page in admin_pages():
        response = client.get(page)
        assert response.status_code in (302, 403), f"{page} answered {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(ADMIN_LOGIN), page


def test_the_admin_login_checks_no_password_and_sends_people_to_the_portal_login(
    client,
) -> None:
    user, _secret = admin_with_totp()

    page = client.get(ADMIN_LOGIN, {"next": "/betrieb/accounts/user/"})
    posted = client.post(
        f"{ADMIN_LOGIN}?next=/betrieb/", {"username": user.email, "password": DEFAULT_PASSWORD}
    )

    assert page.status_code == 302
    assert page["Location"] == f"{reverse('account_login')}?next=/betrieb/accounts/user/"
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_login_sends_nobody_to_another_site(client) -> None:
    response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('account_login')}?next=/betrieb/"


def test_an_admin_with_totp_cannot_reach_any_admin_page_with_the_password_alone(client) -> None:
    user, _secret = admin_with_totp()

    client.post(ADMIN_LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert_admin_closed(client)

    # The portal's login takes the password and then asks for the code, still signed out.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert_admin_closed(client)
    for page in (reverse("dashboard:overview"), reverse("dashboard:order_export")):
        assert client.get(page).status_code == 302, page


def test_a_session_without_the_second_factor_is_asked_for_the_code(client) -> None:
    # A session that never showed the code (here made without any login form at all, as
    # Django's own admin login used to make it) does not open the admin either.
    user, _secret = admin_with_totp()
    client.force_login(user)

    assert_admin_closed(client)
    response = client.get(ADMIN_LOGIN, {"next": "/betrieb/"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=/betrieb/"


def test_with_password_and_code_the_admin_gets_in(client) -> None:
    user, secret = admin_with_totp()

    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    for page in admin_pages():
        assert client.get(page).status_code in (200, 403), page  # 403: e.g. no adding log rows
    assert client.get("/betrieb/accounts/user/").status_code == 200
    # Signed in, the admin login page just goes on to where one was headed.
    assert client.get(ADMIN_LOGIN, {"next": "/betrieb/"})["Location"] == "/betrieb/"


def test_where_the_role_requires_a_second_factor_an_admin_without_one_sets_it_up_first(
    client, settings
) -> None:
    settings.DIGITALMARKT_REQUIRE_MFA_ROLES = ["admin"]
    client.force_login(AdminFactory())

    for page in ("/betrieb/", ADMIN_LOGIN):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_activate_totp"), page


def test_signed_in_people_without_admin_rights_are_refused_not_sent_round_in_circles(
    client,
) -> None:
    client.force_login(StaffFactory())

    assert client.get("/betrieb/")["Location"].startswith(ADMIN_LOGIN)
    assert client.get(ADMIN_LOGIN, {"next": "/betrieb/"}).status_code == 403


def test_the_admin_password_change_is_the_portals_own(client) -> None:
    # Django's form would check the old password without the portal's rate limit.
    client.force_login(AdminFactory())
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


# --- the lockout counts on every login form ---------------------------------------------------

LOGIN_FORMS = {
    "portal": (lambda: reverse("account_login"), "login"),
    "admin": (lambda: ADMIN_LOGIN, "username"),
}


def sign_in(client: Client, form: str, email: str, password: str):
    url, field = LOGIN_FORMS[form]
    return client.post(url(), {field: email, "password": password})


def test_failed_sign_ins_lock_the_account_on_every_login_form(client) -> None:
    user = AdminFactory()  # an account Django's admin form would have let in
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    for n in range(5):
        sign_in(client, "portal", user.email, f"falsch-{n}")

    for form in LOGIN_FORMS:
        sign_in(client, form, user.email, DEFAULT_PASSWORD)
        assert "_auth_user_id" not in client.session, f"in through the {form} login"
    refused = sign_in(client, "portal", user.email, DEFAULT_PASSWORD)
    assert "Zu viele gescheiterte Anmeldeversuche" in refused.content.decode()


def test_thirty_guesses_at_the_admin_login_and_the_right_password_do_not_get_in(client) -> None:
    # The attack of the finding: the admin form counted nothing, so guessing went on for ever.
    user = AdminFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    answers = {sign_in(client, "admin", user.email, f"falsch-{n}").status_code for n in range(30)}
    sign_in(client, "admin", user.email, DEFAULT_PASSWORD)

    assert answers == {302}  # no form that tells a wrong password from a right one
    assert "_auth_user_id" not in client.session
    assert client.get("/betrieb/").status_code == 302
