"""The production cache (portal.cache.ReusingRedisCache) against a real Redis: it behaves as
Django's RedisCache, keeps one client per connection pool, and carries the figures' versions
the overview's blocks are keyed by."""

from __future__ import annotations

import threading
import uuid
import warnings

import pytest
from django.core.cache import caches
from django.urls import reverse

from portal.cache import ReusingRedisCache
from rollin.services import rollin_hold
from tests.factories_rollin import coordinator_for, order_with_rollin


@pytest.fixture
def redis_cache(require_redis):
    cache = ReusingRedisCache(require_redis, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_it_reads_and_writes_as_djangos_redis_cache(redis_cache) -> None:
    redis_cache.set("a", {"n": 1}, 30)
    assert redis_cache.get("a") == {"n": 1}
    assert redis_cache.add("a", "other") is False
    assert redis_cache.add("b", 2) is True
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": {"n": 1}, "b": 2}
    redis_cache.delete_many(["a", "b"])
    assert redis_cache.get_many(["a", "b"]) == {}


def test_any_key_is_kept_without_memcacheds_warnings(redis_cache) -> None:
    key = "ein Schlüssel mit Leerzeichen " + "x" * 300  # memcached would refuse it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        redis_cache.set(key, 1, 30)
        assert redis_cache.get(key) == 1


def test_one_client_serves_every_call_and_every_thread(redis_cache) -> None:
    first = redis_cache._cache.get_client("x")
    assert redis_cache._cache.get_client("y", write=True) is first
    errors: list[BaseException] = []

    def count(n: int) -> None:
        try:
            for i in range(50):
                redis_cache.set(f"t{n}:{i}", i)
                assert redis_cache.get(f"t{n}:{i}") == i
        except BaseException as error:  # reported to the test thread below
            errors.append(error)

    threads = [threading.Thread(target=count, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db
def test_the_overview_through_redis_shows_a_hold_at_once(
    client, require_redis, settings, cached
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.cache.ReusingRedisCache",
            "LOCATION": require_redis,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    client.force_login(coordinator)
    url = reverse("dashboard:overview")

    def main() -> str:
        page = client.get(url).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    status_version = f"figures:version:status:{order.authority.state_id}"
    try:
        before = main()
        assert main() == before  # the blocks served again, keyed by versions kept in Redis
        # A number, which Django's Redis cache reads back without pickle.
        assert isinstance(caches["default"].get(status_version), int)
        rollin_hold(rollin_id=order.rollin.pk, actor=coordinator, reason="Rückfrage")
        assert caches["default"].get(status_version) is None  # forgotten with the change
        after = main()
        assert 'data-total="on_hold">1<' in after
        assert 'data-total="on_hold">0<' in before
    finally:
        caches["default"].clear()
