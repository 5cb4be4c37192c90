"""Versions of the maintained figures: the keys of what pages render from them.

A page drawn from the figures (the coordinator overview) is cached per version of what it
shows, so a visit while nothing changed renders nothing and reads no figure. The versions
live in the shared cache (Redis in production, the file cache on one host), one per state and
*kind* of change:

- ``status``: any change of a roll-in's figures (stage, status, due day, whose turn) — the
  overview's totals;
- ``stage``: the orders (not cancelled) per service × stage — the overview's matrix, which a
  hold, a resume or an item done within its stage leave alone;
- ``due``: an open roll-in's due day set, moved or closed — the overdue count;
- ``lifecycle``: an order placed, gone live or cancelled — the weekly series and the pace,
  which hold and resume, the worker's steps and reminders leave alone.

and one version of the reference data every such page names and weighs (services, stages,
states' targets, authorities, responsibilities: portal.reference_version).

A change *deletes* the version when its transaction commits (portal.cache.cache_forget); the
next reader draws a fresh random token. So a reader that took its token after the commit
renders from the committed rows, and a fragment rendered before it is never read again; a
reader during the transaction keeps the old token and the old rows, and renders nothing anew.
A version lost with the cache only costs one rendering more; a change that slipped past every
hook shows at the latest when the fragment's lifetime (ROLLIN_FIGURES_CACHE_SECONDS) ends.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

from portal.cache import cache_forget
from portal.reference_version import REFERENCE_KEY

STATUS = "status"
STAGE = "stage"
DUE = "due"
LIFECYCLE = "lifecycle"
KINDS = (STATUS, STAGE, DUE, LIFECYCLE)


def _key(kind: str, state_id: int) -> str:
    return f"figures:version:{kind}:{state_id}"


def figures_changed(state_ids: Iterable[int], kinds: Iterable[str] = KINDS) -> None:
    """The figures of these states changed (called in the writer's transaction)."""
    keys = [_key(kind, state_id) for state_id in set(state_ids) for kind in kinds]
    if keys:
        cache_forget(keys)


@dataclass(frozen=True)
class Versions:
    """The versions of some states' figures and of the reference data, as read at one moment."""

    reference: str
    states: tuple[int, ...]
    of: dict[tuple[str, int], str]  # (kind, state id) → version

    def token(self, kind: str) -> str:
        """One token for this kind of figures of all the states and the reference data."""
        return ".".join([self.reference, *(self.of[(kind, state)] for state in self.states)])

    def by_state(self, kind: str) -> dict[int, str]:
        """Per state, a token for its figures of this kind and the reference data."""
        return {state: f"{self.reference}.{self.of[(kind, state)]}" for state in self.states}


def _fresh() -> int:
    """A new version: a random 63-bit number. Django's Redis cache stores numbers as they are
    and reads them back with int(), without pickle (the overview reads 65 at once)."""
    return secrets.randbits(63)


def figures_versions(state_ids: Iterable[int]) -> Versions:
    """The current versions: one round trip to the cache while all are known."""
    states = tuple(sorted(set(state_ids)))
    names, keys = _names_and_keys(states)
    known = cache.get_many(keys)
    missing = [key for key in keys if key not in known]
    if missing:
        # add(): of two readers drawing at once, both keep the one that was stored first.
        for key in missing:
            cache.add(key, _fresh(), timeout=None)
        known.update(cache.get_many(missing))
    # A version forgotten again between add() and the read: a token of this read alone, so
    # what is rendered with it is never served to another.
    values = [str(known.get(key) or _fresh()) for key in keys]
    return Versions(
        reference=values[0], states=states, of=dict(zip(names, values[1:], strict=True))
    )


@functools.lru_cache(maxsize=256)
def _names_and_keys(
    states: tuple[int, ...],
) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """(kind, state) per version and the cache keys, the reference's first: the same for a
    coordinator's every visit, so built once per process and set of states."""
    names = tuple((kind, state) for state in states for kind in KINDS)
    return names, (REFERENCE_KEY, *(_key(kind, state) for kind, state in names))


def reference_version() -> str:
    """The current version of the reference data alone (one key, one round trip)."""
    return figures_versions([]).reference
