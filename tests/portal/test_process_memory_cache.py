"""portal.cache.ProcessMemoryCache: Django's local-memory cache, keys unchecked."""

from __future__ import annotations

import warnings

from django.core.cache import caches

from portal.cache import ProcessMemoryCache


def test_the_process_caches_are_django_local_memory_without_key_checks() -> None:
    for alias in ("layout", "users", "figures", "choices"):
        assert isinstance(caches[alias], ProcessMemoryCache), alias
    memory = ProcessMemoryCache("test-process-memory", {"OPTIONS": {"MAX_ENTRIES": 10}})
    key = "ein Schlüssel mit Leerzeichen " + "x" * 300  # memcached would refuse it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        memory.set(key, {"n": 1}, 30)
        assert memory.get(key) == {"n": 1}
        assert memory.get_many([key, "missing"]) == {key: {"n": 1}}
    memory.clear()
