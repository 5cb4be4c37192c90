"""Today's overdue roll-ins can be counted from an index alone on PostgreSQL
(rollin_open_due): every start page and overview asks, and reading each roll-in due today
cost 6.5 ms at 500,000 orders (0.4 ms from the index). Small test data never makes the
planner prefer that plan, so this checks what makes it possible: the index's columns are
all the count reads, its first keys the ones the count narrows by."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import timezone

from dashboard.selectors import overdue_until
from tests.dashboard.conftest import order_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]


def _index_columns(name: str) -> tuple[list[str], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        (definition,) = cursor.fetchone()
    keys, included = re.search(r"btree \((.*?)\)(?: INCLUDE \((.*?)\))?$", definition).groups()
    return keys.split(", "), (included or "").split(", ")


def test_todays_overdue_roll_ins_can_be_counted_from_the_index_alone(world) -> None:
    order_in(world.kelheim, world.fuehrerschein, stage="vertrag", due_at=timezone.now())
    statements: list[str] = []

    def keep(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        overdue_until([world.bavaria.pk], timezone.now())
    (count,) = [sql for sql in statements if 'FROM "rollin_rollin"' in sql]

    read = set(re.findall(r'"rollin_rollin"\."(\w+)"', count))
    keys, included = _index_columns("rollin_open_due")
    assert keys[:2] == ["status", "due_at"]
    assert read == {"status", "due_at", "state_id"} <= {*keys, *included}
