"""The signed-in user kept per version (accounts.session_user): no row read while nothing
changed, and no change of the user outlived by the kept copy."""

from __future__ import annotations

import pytest
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import session_user
from accounts.models import User
from dashboard.access import coordinated_state_ids
from portal.user_version import MEMO_ALIAS
from tests.factories import CoordinatorFactory, StaffFactory, StateFactory


def _reads_user_rows(client, url: str) -> tuple[int, bool]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    sqls = [query["sql"] for query in queries]
    return status, any('FROM "accounts_user"' in sql for sql in sqls)


@pytest.mark.django_db
def test_a_signed_in_request_reads_the_user_once_per_change(client) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert _reads_user_rows(client, reverse("orders:order_list")) == (200, True)
    assert _reads_user_rows(client, reverse("orders:order_list")) == (200, False)

    user.first_name = "Renamed"
    user.save()
    status, read = _reads_user_rows(client, reverse("orders:order_list"))
    assert (status, read) == (200, True)
    assert "Renamed" in client.get(reverse("orders:order_list")).content.decode()


@pytest.mark.django_db
def test_a_deactivated_user_is_signed_out_at_the_next_request(client) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("orders:order_list")).status_code == 200

    user.is_active = False
    user.save()
    response = client.get(reverse("orders:order_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_password_changed_elsewhere_ends_the_session(client) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("orders:order_list")).status_code == 200

    user.set_password("ein ganz anderes Passwort")
    user.save()
    assert client.get(reverse("orders:order_list")).status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_session_whose_hash_does_not_match_is_refused_while_the_user_is_kept(client) -> None:
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("orders:order_list")).status_code == 200
    session = client.session
    session[HASH_SESSION_KEY] = "not the hash of this user's password"
    session.save()

    assert client.get(reverse("orders:order_list")).status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_role_change_takes_effect_at_the_next_request(client) -> None:
    user = CoordinatorFactory()
    client.force_login(user)
    assert client.get(reverse("dashboard:overview")).status_code == 200

    user.role = "staff"
    user.save()
    assert client.get(reverse("dashboard:overview")).status_code == 403


@pytest.mark.django_db
def test_the_states_follow_a_membership_change_at_the_next_request() -> None:
    user = CoordinatorFactory()
    first, second = user.states.get(), StateFactory(ags="08", name="Baden-Württemberg")
    request = _signed_in_request(user)
    assert _state_ids(request) == [first.pk]

    user.states.add(second)
    assert sorted(_state_ids(request)) == sorted([first.pk, second.pk])
    user.states.remove(first)
    assert _state_ids(request) == [second.pk]


@pytest.mark.django_db
def test_every_request_gets_its_own_copy_of_the_user() -> None:
    user = StaffFactory()
    request = _signed_in_request(user)
    one = session_user.session_user(request)
    one.first_name = "Changed in one request only"
    other = session_user.session_user(request)

    assert other is not one
    assert other.first_name == user.first_name


@pytest.mark.django_db
def test_a_write_without_signals_shows_once_the_copy_expires() -> None:
    user = StaffFactory()
    request = _signed_in_request(user)
    session_user.session_user(request)
    User.objects.filter(pk=user.pk).update(last_name="Ohne Signal")
    assert session_user.session_user(request).last_name != "Ohne Signal"

    caches[MEMO_ALIAS].clear()  # what MEMO_SECONDS does at the latest
    assert session_user.session_user(request).last_name == "Ohne Signal"


def _state_ids(request: HttpRequest) -> list[int]:
    user = session_user.session_user(request)
    assert isinstance(user, User)
    return coordinated_state_ids(user)


def _signed_in_request(user: User) -> HttpRequest:
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    return request
