"""Cache helpers: forgetting with the transaction, and Django's Redis cache with one client
per connection pool instead of one per operation.

Django's RedisCacheClient builds a new `redis.Redis` for every get and set; its constructor
fills a table of ~170 response callbacks each time (a fifth of a millisecond). A signed-in
page makes several cache calls (session, unread count, the overview's versions and blocks),
so that table was built more often than the page's own work. A `redis.Redis` is safe to share
between threads (each command takes a connection from the pool), so one per pool is kept. Nor
are keys checked for memcached's limits (see ReusingRedisCache.validate_key).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction


def cache_forget(keys: Sequence[str]) -> None:
    """Forget cached values derived from rows the current transaction changes, once it
    commits (at once outside a transaction): until then every reader sees the old rows and
    may keep using what was derived from them. Forgetting at once as well had each reader in
    between derive the old rows again under a fresh key, only to lose it at the commit: twice
    the work for every change (a hold redrew every process's overview twice).

    Tests run in transactions that never commit: with CACHE_FORGET_AT_ONCE (on in tests) the
    values are also forgotten at once, so that a test sees its changes."""
    keys = list(keys)
    if settings.CACHE_FORGET_AT_ONCE:
        cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Both attributes are Django's (django/core/cache/backends/redis.py), not in its stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis keys may hold any bytes. Django's check warns about keys memcached would
        refuse, walking every character of every key: a quarter of the time the overview
        spends reading its 65 versions."""


class ProcessMemoryCache(LocMemCache):
    """Django's local-memory cache for what each process keeps (the layout's blocks, the users,
    the overview's figures), without the check for memcached's key limits: its keys are ours,
    short and plain, and a page reads about fifteen of them (Django's documented way to drop
    the check: override validate_key)."""

    def validate_key(self, key: str) -> None:
        return None
