"""A signed-in request: the session from the cache (cached_db on Redis, with the user's
version read along: portal.session_store), the unread count
without a query; and a revoked session does not live on in the cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.services import notify
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Ein-langes-Passwort-2026"


@pytest.fixture
def cached_sessions(settings: Any) -> None:
    """What settings choose with CACHE_URL=redis://… (the tests' cache is in memory)."""
    settings.SESSION_ENGINE = "portal.session_store"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _signed_in(client: Client, user: Any) -> bool:
    return bool(client.get(reverse("portal:imprint")).wsgi_request.user.is_authenticated)


def test_a_signed_in_page_reads_neither_session_nor_unread_count_from_the_database(
    client, cached_sessions
) -> None:
    user = StaffFactory()
    notify(users=[user], text="Neu")
    client.force_login(user)
    _queries(client, reverse("portal:imprint"))  # fills the caches

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portal:imprint"))
    sql = " ".join(q["sql"] for q in captured.captured_queries)

    assert response.context["unread_notifications"] == 1
    assert "django_session" not in sql
    assert "portal_notification" not in sql


def test_the_unread_count_follows_new_and_read_notifications_at_once(client) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("portal:imprint")).context["unread_notifications"] == 0

    notify(users=[user], text="Neu")
    assert client.get(reverse("portal:imprint")).context["unread_notifications"] == 1

    client.post(reverse("portal:notifications_mark_read"))
    assert client.get(reverse("portal:imprint")).context["unread_notifications"] == 0


def test_logout_ends_the_cached_session_for_a_copy_of_its_cookie(client, cached_sessions) -> None:
    user = StaffFactory()
    client.force_login(user)
    copy = Client()
    copy.cookies = client.cookies.__class__(client.cookies)
    assert _signed_in(copy, user)

    client.post(reverse("account_logout"))

    assert not _signed_in(copy, user)


def test_a_password_change_elsewhere_ends_the_cached_session(client, cached_sessions) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert _signed_in(client, user)

    user.set_password(PASSWORD)
    user.save()

    assert not _signed_in(client, user)


def test_deactivating_the_account_ends_the_cached_session(client, cached_sessions) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert _signed_in(client, user)

    user.is_active = False
    user.save()

    assert not _signed_in(client, user)


def test_postgresql_reads_the_user_once_not_on_every_request(
    client, cached_sessions, require_postgres
) -> None:
    """The user is kept per version of it (accounts.session_user): after the first request
    no signed-in request reads the user's row, on the database the portal runs on."""
    client.force_login(StaffFactory())
    _queries(client, reverse("portal:imprint"))

    for _ in range(6):
        queries = _queries(client, reverse("portal:imprint"))
        assert not any('FROM "accounts_user"' in sql for sql in queries)


def test_the_header_renders_the_account_menu_once_and_shows_it_twice(client) -> None:
    """Wide screens show it beside the brand, narrow ones in the folded menu (no JavaScript):
    one rendering serves both (portal_tags.include_once)."""
    client.force_login(StaffFactory())
    page, rendered = _imprint_and_its_templates(client)

    assert rendered.count("partials/_account_menu.html") == 1
    assert rendered.count("partials/_notifications_link.html") == 1
    assert page.count(f'action="{reverse("account_logout")}"') == 2
    assert page.count('class="dm-lang"') == 2
    assert page.count(reverse("portal:notifications") + '"') == 2


def test_anonymous_visitors_get_the_language_switch_and_sign_in_links_in_both_places(
    client,
) -> None:
    page, rendered = _imprint_and_its_templates(client)

    assert rendered.count("partials/_language_switch.html") == 1
    assert page.count('class="dm-lang"') == 2
    assert page.count(f'href="{reverse("account_login")}') == 2


def _imprint_and_its_templates(client: Client) -> tuple[str, list[str | None]]:
    response = client.get(reverse("portal:imprint"))
    return response.content.decode(), [template.name for template in response.templates]
