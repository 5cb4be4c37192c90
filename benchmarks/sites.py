"""The databases one bench run measures, one per size, and the switching between them.

`make bench` measures every page at 50,000 and at 500,000 orders and judges their ratio. Measured
minutes apart, one size after the other, the ratio also held how much this machine's speed had
drifted in between (a third within the hour): one run judged the federal page 1.61 × (53 → 85
ms), where the runs before it took 49–67 ms at the large size. So the pages are measured
interleaved: a few requests at one size, then at the other, in turn, and both sizes share the
drift.

Each size keeps its own keys in the caches (a key prefix per size). Both databases hold the same
states under the same ids, and a figure's version lives in the shared cache: without the prefix
the larger database's overview would be drawn from the smaller one's memoised counts.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, override_settings

from benchmarks.pages import Context

# Requests per size before switching to the other: few enough that both sizes see the same
# minutes of the machine, enough that the switch's own cost (a new connection, taken by the
# untimed warm-up request of each batch) stays out of the timings.
BATCH_RUNS = 5


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


@dataclass
class Site:
    """One database of the run, with what the pages are measured with there."""

    size: int | None  # None: the configured database, as it is (a run without --sizes)
    database: str
    database_url: str = ""  # for the subprocesses (gunicorn, probes); "" when not set
    ctx: Context | None = None
    clients: dict[str, Client] = field(default_factory=dict)

    @classmethod
    def configured(cls) -> Site:
        return cls(None, str(connection.settings_dict["NAME"]), os.environ.get("DATABASE_URL", ""))

    @classmethod
    def of_size(cls, size: int, database: str) -> Site:
        url = os.environ.get("DATABASE_URL", "")
        return cls(size, database, url.rsplit("/", 1)[0] + "/" + database if url else "")

    @property
    def key(self) -> str:
        return str(self.size) if self.size is not None else "configured"

    @contextlib.contextmanager
    def entered(self) -> Iterator[Site]:
        """The default connection, the subprocesses' DATABASE_URL and the caches' keys of
        this site, for the duration of the block; the configured ones afterwards."""
        if self.size is None:
            yield self
            return
        name_before = connection.settings_dict["NAME"]
        url_before = os.environ.get("DATABASE_URL")
        connection.close()
        connection.settings_dict["NAME"] = self.database
        if self.database_url:
            os.environ["DATABASE_URL"] = self.database_url
        # Content types are cached per connection alias, not per database.
        ContentType.objects.clear_cache()
        try:
            with override_settings(CACHES=prefixed_caches(f"bench-{size_label(self.size)}:")):
                yield self
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name_before
            if url_before is not None:
                os.environ["DATABASE_URL"] = url_before
            ContentType.objects.clear_cache()


def prefixed_caches(prefix: str) -> dict[str, dict[str, Any]]:
    """The configured caches, each with `prefix` before its keys."""
    return {
        alias: {**config, "KEY_PREFIX": prefix + str(config.get("KEY_PREFIX", ""))}
        for alias, config in settings.CACHES.items()
    }


def batches(runs: int) -> list[int]:
    """The timed requests of each batch: `runs` in batches of at most BATCH_RUNS."""
    full, rest = divmod(runs, BATCH_RUNS)
    return [BATCH_RUNS] * full + ([rest] if rest else [])


def in_turn(sites: list[Site], batch: int) -> list[Site]:
    """The sites in the order of this batch: alternating, so that neither size is always
    measured first after the other's batch."""
    return sites if batch % 2 == 0 else sites[::-1]
