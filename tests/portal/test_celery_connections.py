"""A worker keeps its database connection from task to task, as Django's rules allow.

Celery 5.6+ closes every connection before and after each task unless CELERY_DB_REUSE_MAX
is set; a new PostgreSQL session per roll-in step cost bench_worker a fifth of its rate.
Between tasks Django's own rule applies (digitalmarkt.celery): a connection older than
CONN_MAX_AGE, or one that broke, is closed.
"""

from __future__ import annotations

import pytest
from celery import signals
from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]  # not in the stubs
from django.db import connection

from digitalmarkt.celery import app, connections_renew_when_old

pytestmark = pytest.mark.django_db(transaction=True)


def _task_signals_around_one_task() -> None:
    """What a prefork child does around a task: Celery's fixup, then ours."""
    fixup = DjangoWorkerFixup(app)
    sender = type("Task", (), {"request": type("Request", (), {"is_eager": False})()})()
    fixup.on_task_prerun(sender)
    connections_renew_when_old()
    fixup.on_task_postrun(sender)
    connections_renew_when_old()


@pytest.fixture
def kept_connections(require_postgres):
    """CONN_MAX_AGE = 60 for this test's connection, as in production; restored after.
    (SQLite's in-memory test database never closes, so only PostgreSQL can show it.)"""
    before = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.ensure_connection()
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = before


def test_celery_reads_the_reuse_setting() -> None:
    assert DjangoWorkerFixup(app).db_reuse_max >= 100


def test_our_handler_runs_before_and_after_every_task() -> None:
    for signal in (signals.task_prerun, signals.task_postrun):
        receivers = [ref() if callable(ref) else ref for _key, ref in signal.receivers]
        assert connections_renew_when_old in receivers


def test_the_connection_survives_a_task(kept_connections) -> None:
    before = connection.connection

    _task_signals_around_one_task()

    assert connection.connection is before


def test_a_connection_past_its_age_is_closed_between_tasks(kept_connections) -> None:
    connection.close_at = 0  # as if opened long ago

    _task_signals_around_one_task()

    assert connection.connection is None
