"""Commits whose disk flush nobody waits for, for transactions that can be redone.

PostgreSQL's `synchronous_commit = off` answers COMMIT before the WAL reaches the disk (it
gets there within 3 × wal_writer_delay, 0.6 s by default). A crash of the database server
in that window loses those last transactions; the database stays consistent (PostgreSQL
manual, "Asynchronous Commit"). Every later commit that waits flushes them too, because the
WAL is flushed in order.

Only for writes that are redone when lost: the worker's steps are (a lost claim expires, a
lost record is found by the sweep and the connector call repeated with the same
idempotency key). People's actions keep waiting for the disk.
"""

from __future__ import annotations

from django.db import connection


def commit_without_waiting_for_disk() -> None:
    """For the rest of the current transaction only (SET LOCAL: nothing is left on the
    connection, which also keeps it safe behind a transaction-pooling PgBouncer), and only
    when it is the caller's own: inside another one (the demo's single transaction, a
    person's request) the setting would reach writes that are not redone."""
    if connection.vendor != "postgresql":
        return  # SQLite (make run's default) has no such setting
    assert connection.in_atomic_block, "SET LOCAL outside a transaction would do nothing"
    if len(connection.atomic_blocks) > 1:  # Django's stack of open atomic blocks
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
