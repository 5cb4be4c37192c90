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

from typing import TypeVar, cast

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

_M = TypeVar("_M", bound=Model)

# SET LOCAL as a function (PostgreSQL manual, "Configuration Settings Functions": is_local
# true ends the setting with the transaction), so that a query can carry it.
SET_LOCAL = "set_config('synchronous_commit', 'off', true)"


def _applies() -> bool:
    """Only in the current transaction and only when it is the caller's own: inside another
    one (the demo's single transaction, a person's request) the setting would reach writes
    that are not redone."""
    if connection.vendor != "postgresql":
        return False  # SQLite (make run's default) has no such setting
    assert connection.in_atomic_block, "SET LOCAL outside a transaction would do nothing"
    return len(connection.atomic_blocks) == 1  # Django's stack of open atomic blocks


def without_waiting_for_disk(queryset: QuerySet[_M]) -> QuerySet[_M]:
    """The queryset, carrying the setting for the rest of the current transaction: it costs
    no statement of its own when it rides on the query that opens the transaction's work
    (the worker's lock). SET LOCAL leaves nothing on the connection, which keeps it safe
    behind a transaction-pooling PgBouncer."""
    if not _applies():
        return queryset
    carrying = queryset.annotate(_commit_without_waiting_for_disk=RawSQL(SET_LOCAL, ()))
    return cast("QuerySet[_M]", carrying)  # django-stubs widen the model type on annotate
