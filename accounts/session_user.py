"""The signed-in user, read from the database once per change of it, not on every request.

Django's AuthenticationMiddleware reads the user's row on every signed-in request, and the
coordination pages read the user's states on every visit: two queries that cost the overview
as much as all of its blocks. Both change rarely. Each user has a *version* in the shared
cache (Redis in production); every change of the user's row or states forgets it, at once and
again when the transaction commits (signals in accounts.apps, the same rule as
rollin.figure_versions). Each process keeps the user and their state ids per version in its
own memory (the "users" cache, settings.CACHES). So a request reads one version from Redis
instead of two rows from PostgreSQL, and a change shows at the next request.

What the cached user must not outlive:
- a password change, or a session from before one: the session's hash is checked against the
  cached user on every request, as Django does; any mismatch goes Django's own way
  (django.contrib.auth.get_user), which handles the fallback keys and logs the session out;
- deactivation, a new role, authority or state: every save, delete and membership change of
  a user forgets the version, so the next request reads the row again;
- a write that sends no signal (QuerySet.update, SQL): the memory keeps an entry no longer
  than USER_MEMO_SECONDS.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from accounts.models import User
from portal.cache import cache_forget

# The process-local memory (settings.CACHES["users"]): it pickles, so every request gets its
# own copy of the user and may change it without touching the next request's.
MEMO_ALIAS = "users"
# What a write without signals may leave behind at most (see the module's docstring).
USER_MEMO_SECONDS = 60
# The version the request's user was read with: the key of the user's state ids.
VERSION_ATTRIBUTE = "_session_user_version"


def _version_key(user_id: object) -> str:
    return f"accounts:user:version:{user_id}"


def users_changed(user_ids: Iterable[object]) -> None:
    """These users' rows or states changed (called in the writer's transaction)."""
    cache_forget([_version_key(user_id) for user_id in user_ids])


def _current_version(user_id: object) -> str:
    key = _version_key(user_id)
    version = cache.get(key)
    if version is None:
        # add(): of two readers drawing at once, both keep the one stored first.
        cache.add(key, secrets.randbits(63), timeout=None)
        version = cache.get(key)
    # Forgotten again in between: a version of this request alone, never read by another.
    return str(version if version is not None else secrets.randbits(63))


def session_user(request: HttpRequest) -> User | AnonymousUser:
    """The request's user: from the process's memory while the user's version holds and the
    session's hash matches, else as Django reads it."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    version = _current_version(user_id)
    memo = caches[MEMO_ALIAS]
    memo_key = f"user:{user_id}:{version}"
    user: User | None = memo.get(memo_key)
    if user is None or not constant_time_compare(
        session.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        fresh = auth.get_user(request)
        if not isinstance(fresh, User) or str(fresh.pk) != str(user_id):
            return fresh
        memo.set(memo_key, fresh, USER_MEMO_SECONDS)
        user = fresh
    user.backend = backend  # as Django's get_user leaves it
    setattr(user, VERSION_ATTRIBUTE, version)
    return user


def state_ids_of(user: User) -> list[int]:
    """The ids of the user's states (coordinators, viewers): once per version of the user."""
    version = getattr(user, VERSION_ATTRIBUTE, None)
    if version is None:
        return _state_ids_from_rows(user)
    memo = caches[MEMO_ALIAS]
    memo_key = f"states:{user.pk}:{version}"
    state_ids: list[int] | None = memo.get(memo_key)
    if state_ids is None:
        state_ids = _state_ids_from_rows(user)
        memo.set(memo_key, state_ids, USER_MEMO_SECONDS)
    return state_ids


def _state_ids_from_rows(user: User) -> list[int]:
    # The membership table alone: a query the ORM builds in half the time of the states' join.
    memberships = user.states.through.objects.filter(user_id=user.pk)
    return list(memberships.values_list("state_id", flat=True))
