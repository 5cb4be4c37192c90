"""One version per user of what every signed-in page shows of them: the user's row and states
(accounts.session_user) and their unread notifications (portal.selectors).

The version lives in the shared cache (Redis in production). Every change of these forgets
it when the transaction commits (portal.cache.cache_forget); the next reader draws a new one.
Each process keeps what it read under the version it read it with, in its own memory
(MEMO_ALIAS, settings.CACHES): a signed-in request reads one version from Redis instead of
the user's row, their states and their unread count. It lives here, below accounts, so that
the notifications can move it too.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache, caches

from portal.cache import cache_forget

T = TypeVar("T")

# The process-local memory (settings.CACHES["users"]). It pickles: every request gets its own
# copy of what it reads there and may change it without touching the next request's.
MEMO_ALIAS = "users"
# How long the memory keeps an entry: what a write that moves no version (QuerySet.update,
# SQL) may leave behind at most.
MEMO_SECONDS = 60
# The attribute of the request's user that holds the version it was read with.
VERSION_ATTRIBUTE = "_user_version"


def user_version_key(user_id: object) -> str:
    return f"accounts:user:version:{user_id}"


def users_changed(user_ids: Iterable[object]) -> None:
    """These users changed (called in the writer's transaction)."""
    cache_forget([user_version_key(user_id) for user_id in user_ids])


def current_user_version(user_id: object, *, read_along: object | None = None) -> str:
    """The user's version; `read_along`: the value read with the session in the same round
    trip (portal.session_store), which spares reading it again."""
    key = user_version_key(user_id)
    version = read_along if read_along is not None else cache.get(key)
    if version is None:
        # add(): of two readers drawing at once, both keep the one stored first.
        cache.add(key, secrets.randbits(63), timeout=None)
        version = cache.get(key)
    # Forgotten again in between: a version of this request alone, never read by another.
    return str(version if version is not None else secrets.randbits(63))


def kept(name: str, user_id: object, version: str, compute: Callable[[], T]) -> T:
    """`compute()` once per process and version of the user, then from the memory."""
    memo = caches[MEMO_ALIAS]
    key = f"{name}:{user_id}:{version}"
    value: T | None = memo.get(key)
    if value is None:
        value = compute()
        memo.set(key, value, MEMO_SECONDS)
    return value


def version_of(user: object) -> str | None:
    """The version the request's user was read with (None: not read by accounts.session_user,
    as the user that auth.login() sets during the request that signs in)."""
    return getattr(user, VERSION_ATTRIBUTE, None)
