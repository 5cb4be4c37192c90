"""Django's cached_db sessions, read in one round trip together with the user's version.

A signed-in request reads two keys from Redis before any of its page's work: its session, and
then the version of its user (portal.user_version), against which accounts.session_user checks
the user it keeps. The second read waits for the first only to learn the user id inside the
session, and that id stays the same for the session's whole life. So each process remembers
whose session a key is, and the session's next request reads both keys in one `get_many`:
a round trip less on every signed-in page (of the three the coordinator overview makes).

The version read along is exactly as fresh as a read of its own right after; it is used only
when the session read with it names the user it was read for. A session this process has not
served yet, or one no longer in the cache, is read as Django reads it.

`SESSION_ENGINE = "portal.session_store"` where sessions live in Redis (settings).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from portal.user_version import user_version_key

# Session key → id of its user, for the sessions this process served: only a hint of which
# version to read along (checked against the session read with it). Emptied when full.
_USER_OF_SESSION: dict[str, str] = {}
REMEMBERED_SESSIONS = 10_000


class SessionStore(cached_db.SessionStore):
    # The version of the session's user, read along with the session (None: not read along).
    user_version: object | None = None

    def load(self) -> dict[str, Any]:
        user_id = _USER_OF_SESSION.get(self.session_key) if self.session_key else None
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            user_id = None  # the versions live in the default cache, the session elsewhere
        data = self._load_along(user_id) if user_id is not None else None
        if data is None:
            data = super().load()
        _remember(self.session_key, data)
        return data

    def _load_along(self, user_id: str) -> dict[str, Any] | None:
        version_key = user_version_key(user_id)
        try:
            # Django's attribute (django/contrib/sessions/backends/cached_db.py), not in its stubs.
            found = self._cache.get_many([self.cache_key, version_key])  # type: ignore[attr-defined]
        except Exception:  # as Django's load: a cache that fails reads the database instead
            return None
        data: dict[str, Any] | None = found.get(self.cache_key)
        if data is not None and str(data.get(SESSION_KEY)) == user_id:
            self.user_version = found.get(version_key)
        return data


def _remember(session_key: str | None, data: dict[str, Any]) -> None:
    user_id = data.get(SESSION_KEY)
    if session_key is None or user_id is None:
        return
    if len(_USER_OF_SESSION) >= REMEMBERED_SESSIONS:
        _USER_OF_SESSION.clear()
    _USER_OF_SESSION[session_key] = str(user_id)
