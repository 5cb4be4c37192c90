"""The worker's step transactions commit without waiting for the disk; nothing else does.

PostgreSQL's asynchronous commit (portal.durability): a step lost in a database crash is
redone by the sweep, so waiting for the WAL flush on each of its seven commits per order
bought nothing. The setting must stay inside those transactions (SET LOCAL, here as
set_config(…, true) carried by the step's lock query, no statement of its own), so a
person's action on the same connection still waits.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.durability import SET_LOCAL, without_waiting_for_disk
from rollin.connectors import InProcessConnector
from rollin.models import Rollin
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    assert_clean_stage_walk,
    order_at_anbindung,
    order_with_rollin,
)


def _carrying_it() -> None:
    """What the worker does first in each step: a query that carries the setting. It takes
    effect with a row read (the worker's lock reads its roll-in, or writes nothing)."""
    if not Rollin.objects.exists():
        order_with_rollin()
    assert len(without_waiting_for_disk(Rollin.objects.all())[:1]) == 1


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_setting_ends_with_its_transaction(require_postgres) -> None:
    assert _synchronous_commit() == "on"
    with transaction.atomic():
        _carrying_it()
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == "on"  # the next transaction, a person's, waits again


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_refused(require_postgres) -> None:
    # SET LOCAL there would be a no-op that looks like protection.
    with pytest.raises(AssertionError):
        without_waiting_for_disk(Rollin.objects.all())


@pytest.mark.django_db(transaction=True)
def test_inside_another_transaction_it_leaves_that_one_waiting(require_postgres) -> None:
    # E.g. the demo walks every order with rollin_advance in one transaction of its own.
    with transaction.atomic():
        with transaction.atomic():
            _carrying_it()
            assert _synchronous_commit() == "on"
        assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_it_rides_on_the_query_on_postgresql_and_is_left_out_on_sqlite() -> None:
    order_with_rollin()
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        list(without_waiting_for_disk(Rollin.objects.all()))
    (sent,) = [q["sql"] for q in captured.captured_queries]  # no statement of its own
    assert (SET_LOCAL in sent) == (connection.vendor == "postgresql")


@pytest.mark.django_db(transaction=True)
def test_each_step_of_the_walk_sets_it_with_its_lock(require_postgres) -> None:
    order = order_at_anbindung()

    with CaptureQueriesContext(connection) as captured:
        rollin = rollin_advance(order_id=order.pk, connector=InProcessConnector())

    assert rollin is not None
    sql = [q["sql"] for q in captured.captured_queries]
    locks = [i for i, s in enumerate(sql) if s.endswith("FOR UPDATE") or " FOR UPDATE OF " in s]
    assert len(locks) == 6  # the claim and five record steps
    assert all(sql[i - 1] == "BEGIN" for i in locks)  # each its transaction's first query
    assert all(SET_LOCAL in sql[i] for i in locks)
    assert sum(SET_LOCAL in s for s in sql) == len(locks)  # and nowhere else
    assert not any(s.startswith("SET ") for s in sql)
    assert_clean_stage_walk(rollin)
    assert _synchronous_commit() == "on"
