"""Fast row writers: COPY on PostgreSQL, executemany elsewhere (SQLite in tests).

The generator writes millions of rows with ids it chose itself, so that orders, roll-ins,
items and history can reference each other without reading anything back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias, cast

from django.db import connection
from django.db.models import Model

if TYPE_CHECKING:
    SqlValue: TypeAlias = bool | int | float | Decimal | str | dt.date | uuid.UUID | None


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def next_id(model: type[Model]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(cursor.fetchone()[0]) + 1


def sync_id_sequence(model: type[Model]) -> None:
    """After explicit ids, move PostgreSQL's sequence past them (SQLite follows MAX(id))."""
    if not is_postgres():
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}), 1))",
            [table],
        )


def _adapt_for_sqlite(value: object) -> object:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID):
        return value.hex  # Django stores UUIDs as 32 hex characters where there is no uuid type
    return value


def write_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert rows (tuples in `columns` order) into the model's table; returns the count."""
    table = connection.ops.quote_name(model._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgres():
            # Django's wrapper exposes the psycopg 3 cursor; COPY is ~10x faster than INSERT.
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        batch = [tuple(_adapt_for_sqlite(v) for v in row) for row in rows]
        cursor.executemany(
            f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})",
            # The generator writes numbers, text, dates, UUIDs and None: all adaptable to SQL.
            cast("list[tuple[SqlValue, ...]]", batch),
        )
        return len(batch)
