"""Transport, headers, sessions, throttling and the second factor (ASVS L2 / BSI APP.3.1)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AdminFactory, CoordinatorFactory, StaffFactory, ViewerFactory

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("DIGITALMARKT_REQUIRE_MFA_ROLES", None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="x",
        DIGITALMARKT_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='digitalmarkt.settings'; "
    setup += "django.setup(); from django.conf import settings as s; "
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- production settings --------------------------------------------------------------------


def test_deploy_check_is_clean_at_warning_level(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_transport_and_mfa(tmp_path) -> None:
    code = (
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, ','.join(s.DIGITALMARKT_REQUIRE_MFA_ROLES))"
    )
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "31536000",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "coordinator,admin",
    ]


def test_ssl_redirect_and_proxy_header_are_configurable(tmp_path) -> None:
    env = production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_BEHIND_TLS_PROXY="0")
    result = run_python("print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)", env)
    assert result.stdout.split() == ["False", "None"], result.stderr


# --- Content-Security-Policy ----------------------------------------------------------------

# Executable inline scripts; JSON data blocks (allauth's data-allauth-onload) are not run.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/json)[^>]*>", re.I
)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I)


def assert_strict_csp(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # "'nonce'" verbatim would be an invalid source (a misconfigured django-csp sentinel).
    assert "'nonce'" not in policy
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"].split(" ")[0] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "portal:home",
        "portal:imprint",
        "account_login",
        "account_signup",
        "account_reset_password",
    ],
)
def test_public_and_allauth_pages_work_under_the_strict_policy(client, url_name) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["mfa_index", "account_reauthenticate", "account_change_password", "account_email"],
)
def test_signed_in_account_pages_work_under_the_strict_policy(client, url_name) -> None:
    client.force_login(StaffFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/betrieb/",
        "/betrieb/orders/order/",
        "/betrieb/catalog/service/add/",
        "/betrieb/accounts/user/add/",
        "/betrieb/auditlog/logentry/",
    ],
)
def test_the_admin_needs_no_inline_scripts_either(client, url) -> None:
    # Django 5.2's admin loads every script from static files, so it keeps the strict policy;
    # no relaxed CSP for /betrieb/ is needed.
    client.force_login(AdminFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert_strict_csp(response)


# --- throttling -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_for_a_while(client) -> None:
    from tests.factories import DEFAULT_PASSWORD

    cache.clear()
    user = StaffFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for n in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": f"x{n}"})
        assert "leider falsch" in response.content.decode()

    # Even the right password is refused now: the counter lives in the cache (5 per 5 min).
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()


@pytest.mark.django_db
def test_password_reset_requests_are_throttled(client) -> None:
    cache.clear()
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "a@example.org"}).status_code
        for _ in range(7)
    ]
    assert 429 in statuses
    cache.clear()


# --- sessions and caching -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_expires_after_idle_time_and_activity_extends_it(client, settings) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    client.force_login(StaffFactory())
    assert client.get(reverse("account_email")).status_code == 200
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date

    # Activity after the refresh interval pushes the stored expiry and the cookie forward.
    settings.SESSION_REFRESH_SECONDS = 0
    client.get(reverse("account_email"))
    assert Session.objects.get(session_key=key).expire_date > first_expiry
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE

    # Idle past the limit: the stored session has expired and the user is signed out.
    Session.objects.filter(session_key=key).update(expire_date="2000-01-01T00:00:00Z")
    assert SessionStore(session_key=key).load() == {}
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_activity_within_the_refresh_interval_writes_no_session(client, settings) -> None:
    """Page views inside SESSION_REFRESH_SECONDS read the session and leave its row alone."""
    from django.contrib.sessions.models import Session

    settings.SESSION_REFRESH_SECONDS = 3600
    client.force_login(StaffFactory())
    client.get(reverse("account_email"))
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date="2099-01-01T00:00:00Z")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("account_email")).status_code == 200

    writes = [
        q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []
    assert Session.objects.get(session_key=key).expire_date.year == 2099


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session(client, settings) -> None:
    response = client.get(reverse("portal:imprint"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored_and_public_ones_may_be(client) -> None:
    public = client.get(reverse("portal:imprint"))
    assert "no-store" not in public.get("Cache-Control", "")

    client.force_login(StaffFactory())
    for url_name in ("start", "portal:imprint", "account_email"):
        response = client.get(reverse(url_name))
        assert "no-store" in response["Cache-Control"], url_name
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


# --- second factor --------------------------------------------------------------------------


@pytest.fixture
def mfa_required(settings) -> None:
    settings.DIGITALMARKT_REQUIRE_MFA_ROLES = ["coordinator", "admin"]


def add_totp(user) -> None:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [CoordinatorFactory, AdminFactory], ids=["coord", "admin"])
def test_coordinators_and_admins_without_totp_are_sent_to_the_setup(
    client, mfa_required, factory
) -> None:
    user = factory()
    client.force_login(user)

    for url in (reverse("portal:home"), reverse("orders:order_list"), "/betrieb/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before showing the TOTP setup; both are reachable.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(setup["Location"]).status_code == 200
    assert client.get(reverse("portal:health")).status_code in (200, 503)
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.django_db
def test_with_an_activated_totp_they_get_in(client, mfa_required) -> None:
    user = CoordinatorFactory()
    add_totp(user)
    client.force_login(user)

    assert client.get(reverse("start")).status_code == 200


def _asks_for_authenticators(client, url: str) -> tuple[int, bool]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, any("mfa_authenticator" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_the_second_factor_is_looked_up_once_a_minute_per_session(
    client, mfa_required, settings
) -> None:
    user = CoordinatorFactory()
    add_totp(user)
    client.force_login(user)
    assert _asks_for_authenticators(client, reverse("start")) == (200, True)
    assert _asks_for_authenticators(client, reverse("orders:order_list")) == (200, False)

    # Removed elsewhere (by an admin): this session notices at its next look-up.
    Authenticator.objects.filter(user=user).delete()
    assert client.get(reverse("start")).status_code == 200
    settings.SESSION_REFRESH_SECONDS = 0  # the minute is over
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_another_user_in_the_same_browser_is_looked_up_anew(client, mfa_required) -> None:
    with_totp, without = CoordinatorFactory(), CoordinatorFactory()
    add_totp(with_totp)
    client.force_login(with_totp)
    assert client.get(reverse("start")).status_code == 200

    client.force_login(without)
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_deactivating_the_totp_sends_the_same_session_to_the_setup_at_once(
    client, mfa_required
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import DEFAULT_PASSWORD

    user = CoordinatorFactory()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(reverse("start")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get(reverse("start"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [StaffFactory, ViewerFactory], ids=["staff", "viewer"])
def test_staff_and_viewers_do_not_need_a_second_factor(client, mfa_required, factory) -> None:
    client.force_login(factory())
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_mfa_is_not_enforced_when_switched_off(client, settings) -> None:
    settings.DIGITALMARKT_REQUIRE_MFA_ROLES = []
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_signing_in_with_totp_asks_for_the_code(client, mfa_required) -> None:
    from tests.factories import DEFAULT_PASSWORD

    user = CoordinatorFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the code


@pytest.mark.django_db
def test_a_page_that_uses_the_nonce_gets_it_in_its_policy(rf) -> None:
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string("<script nonce='{{ request.csp_nonce }}'></script>")

    def view(request):
        return HttpResponse(template.render({}, request))

    request = rf.get("/")
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    nonce = request.csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert isinstance(response, HttpResponse)
    assert f"nonce='{nonce}'" in response.content.decode()
