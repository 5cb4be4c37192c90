"""Point this process's Celery app at another broker (a closed port means "broker down")."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from kombu import pools as kombu_pools

from digitalmarkt.celery import app as celery_app

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/2"  # nothing listens on port 1


def _reset_pool() -> None:
    # The producer pool keeps connections to the old URL; drop it so the next publish
    # connects to the URL configured now. kombu keeps pools in a global registry keyed by
    # connection, so closing only the app's pool would hand the same closed pool back later
    # ("Acquire on closed pool"); pools.reset() closes and forgets them all.
    kombu_pools.reset()
    # Private pools the stubs do not declare; resetting them is the only way to drop them.
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_write_url, conf.broker_read_url)
    # celery-types declare these settings read-only; Celery's conf accepts assignment.
    conf.broker_url = conf.broker_write_url = conf.broker_read_url = url  # type: ignore[misc]
    _reset_pool()
    try:
        yield
    finally:
        conf.broker_url, conf.broker_write_url, conf.broker_read_url = saved  # type: ignore[misc]
        _reset_pool()
