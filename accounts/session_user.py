"""The signed-in user, read from the database once per change of it, not on every request.

Django's AuthenticationMiddleware reads the user's row on every signed-in request, and the
coordination pages read the user's states on every visit: two queries that cost the overview
as much as all of its blocks. Both change rarely. Each process keeps the user and their state
ids per version of the user (portal.user_version); every save, delete and membership change
of a user moves it (signals in accounts.apps). So a request reads one version from Redis
instead of two rows from PostgreSQL (read along with the session, portal.session_store), and
a change shows at the next request.

What the kept user must not outlive:
- a password change, or a session from before one: the session's hash is checked against the
  kept user on every request, as Django does; any mismatch goes Django's own way
  (django.contrib.auth.get_user), which handles the fallback keys and logs the session out;
- deactivation, a new role, authority or state: every save, delete and membership change of
  a user moves the version, so the next request reads the row again;
- a write that sends no signal (QuerySet.update, SQL): the memory keeps an entry no longer
  than portal.user_version.MEMO_SECONDS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from accounts.models import User
from portal.user_version import (
    MEMO_ALIAS,
    MEMO_SECONDS,
    VERSION_ATTRIBUTE,
    current_user_version,
    kept,
    version_of,
)


def session_user(request: HttpRequest) -> User | AnonymousUser:
    """The request's user: from the process's memory while the user's version holds and the
    session's hash matches, else as Django reads it."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    version = current_user_version(user_id, read_along=getattr(session, "user_version", None))
    memo = caches[MEMO_ALIAS]
    memo_key = f"user:{user_id}:{version}"
    user: User | None = memo.get(memo_key)
    if user is None or not constant_time_compare(
        session.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        fresh = auth.get_user(request)
        if not isinstance(fresh, User) or str(fresh.pk) != str(user_id):
            return fresh
        memo.set(memo_key, fresh, MEMO_SECONDS)
        user = fresh
    user.backend = backend  # as Django's get_user leaves it
    setattr(user, VERSION_ATTRIBUTE, version)
    return user


def state_ids_of(user: User) -> list[int]:
    """The ids of the user's states (coordinators, viewers): once per version of the user."""
    version = version_of(user)
    if version is None:
        return _state_ids_from_rows(user)
    return kept("states", user.pk, version, lambda: _state_ids_from_rows(user))


def _state_ids_from_rows(user: User) -> list[int]:
    # The membership table alone: a query the ORM builds in half the time of the states' join.
    memberships = user.states.through.objects.filter(user_id=user.pk)
    return list(memberships.values_list("state_id", flat=True))
