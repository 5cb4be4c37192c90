"""portal.session_store: the session and its user's version in one read of the cache, the
version used only for the user the session names, and revocation as before."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from portal import session_store
from portal.session_store import SessionStore
from portal.user_version import current_user_version, user_version_key, users_changed
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_sessions(settings: Any) -> None:
    settings.SESSION_ENGINE = "portal.session_store"
    session_store._USER_OF_SESSION.clear()


class CacheReads:
    """Counts the reads of the default cache (get and get_many: a round trip each on Redis),
    with the keys asked. The tests' in-memory cache answers get_many with gets of its own,
    which are not counted again."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[str]] = []
        default = caches["default"]  # the instance: the `cache` proxy may change under a test
        get, get_many = default.get, default.get_many
        inside_many = False

        def counted_get(key: str, *args: Any, **kwargs: Any) -> Any:
            if not inside_many:
                self.calls.append([key])
            return get(key, *args, **kwargs)

        def counted_get_many(keys: list[str], *args: Any, **kwargs: Any) -> Any:
            nonlocal inside_many
            self.calls.append(list(keys))
            inside_many = True
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                inside_many = False

        monkeypatch.setattr(default, "get", counted_get)
        monkeypatch.setattr(default, "get_many", counted_get_many)


def _signed_in_key(client: Client) -> tuple[Any, str]:
    user = StaffFactory()
    client.force_login(user)
    assert client.get(reverse("portal:imprint")).status_code == 200
    key = client.session.session_key
    assert key is not None
    return user, key


def test_the_next_load_reads_the_session_and_its_users_version_together(
    client, store_sessions, monkeypatch
) -> None:
    user, key = _signed_in_key(client)
    version = current_user_version(user.pk)
    reads = CacheReads(monkeypatch)

    store = SessionStore(key)
    assert store.get("_auth_user_id") == str(user.pk)

    assert reads.calls == [[store.cache_key, user_version_key(user.pk)]]
    assert str(store.user_version) == version


def test_a_request_reads_the_cache_once_before_its_page(
    client, store_sessions, monkeypatch
) -> None:
    _user, _key = _signed_in_key(client)
    reads = CacheReads(monkeypatch)
    assert client.get(reverse("portal:imprint")).status_code == 200
    versions = [keys for keys in reads.calls if any("accounts:user:version" in k for k in keys)]
    assert len(versions) == 1 and len(versions[0]) == 2  # read along with the session


def test_a_version_read_for_another_user_is_not_used(client, store_sessions) -> None:
    user, key = _signed_in_key(client)
    other = StaffFactory()
    current_user_version(other.pk)
    session_store._USER_OF_SESSION[key] = str(other.pk)  # a wrong hint

    store = SessionStore(key)
    assert store.get("_auth_user_id") == str(user.pk)
    assert store.user_version is None


def test_a_moved_version_is_read_along_and_the_user_read_again(client, store_sessions) -> None:
    user, _key = _signed_in_key(client)
    user.first_name = "Neuer Name"
    user.save()  # moves the version (accounts.apps)
    response = client.get(reverse("portal:imprint"))
    assert response.wsgi_request.user.first_name == "Neuer Name"


def test_deactivation_ends_the_session_at_the_next_request(client, store_sessions) -> None:
    user, _key = _signed_in_key(client)
    user.is_active = False
    user.save()
    assert not client.get(reverse("portal:imprint")).wsgi_request.user.is_authenticated


def test_a_forgotten_version_is_drawn_anew(client, store_sessions) -> None:
    user, _key = _signed_in_key(client)
    users_changed([user.pk])  # forgotten at once in tests (CACHE_FORGET_AT_ONCE)
    response = client.get(reverse("portal:imprint"))
    assert response.wsgi_request.user.is_authenticated
    assert cache.get(user_version_key(user.pk)) is not None


def test_a_session_in_another_cache_is_read_alone(client, store_sessions, settings) -> None:
    user, key = _signed_in_key(client)
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    store = SessionStore(key)
    assert store.get("_auth_user_id") == str(user.pk)  # from the database
    assert store.user_version is None


def test_on_redis_one_round_trip_reads_session_and_version(
    client, store_sessions, settings, require_redis, monkeypatch
) -> None:
    """As production runs it: the default cache, and so sessions and versions, on Redis."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.cache.ReusingRedisCache",
            "LOCATION": require_redis,
            "KEY_PREFIX": prefix,
        },
    }
    user, _key = _signed_in_key(client)
    try:
        reads = CacheReads(monkeypatch)
        assert client.get(reverse("portal:imprint")).wsgi_request.user == user
        assert [len(keys) for keys in reads.calls] == [2]  # session and version, together
        user.is_active = False
        user.save()  # moves the version (at once in tests: CACHE_FORGET_AT_ONCE)
        assert not client.get(reverse("portal:imprint")).wsgi_request.user.is_authenticated
    finally:  # this test's keys only: the database is the broker's too
        client.logout()
        cache.delete(user_version_key(user.pk))


def test_the_remembered_sessions_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(session_store, "REMEMBERED_SESSIONS", 2)
    session_store._USER_OF_SESSION.clear()
    for number in range(5):
        session_store._remember(f"key{number}", {"_auth_user_id": number})
    assert len(session_store._USER_OF_SESSION) <= 2
    assert session_store._USER_OF_SESSION["key4"] == "4"
