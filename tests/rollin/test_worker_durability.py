"""The worker's step transactions commit without waiting for the disk; nothing else does.

PostgreSQL's asynchronous commit (portal.durability): a step lost in a database crash is
redone by the sweep, so waiting for the WAL flush on each of its seven commits per order
bought nothing. The setting must stay inside those transactions (SET LOCAL), so a person's
action on the same connection still waits.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.durability import commit_without_waiting_for_disk
from rollin.connectors import InProcessConnector
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    assert_clean_stage_walk,
    complete_as_its_person,
    coordinator_for,
    order_with_rollin,
    walk_to,
)

ASYNC = "SET LOCAL synchronous_commit TO off"


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_setting_ends_with_its_transaction(require_postgres) -> None:
    assert _synchronous_commit() == "on"
    with transaction.atomic():
        commit_without_waiting_for_disk()
        assert _synchronous_commit() == "off"
    assert _synchronous_commit() == "on"  # the next transaction, a person's, waits again


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_refused(require_postgres) -> None:
    # SET LOCAL there would be a no-op that looks like protection.
    with pytest.raises(AssertionError):
        commit_without_waiting_for_disk()


@pytest.mark.django_db(transaction=True)
def test_inside_another_transaction_it_leaves_that_one_waiting(require_postgres) -> None:
    # E.g. the demo walks every order with rollin_advance in one transaction of its own.
    with transaction.atomic():
        with transaction.atomic():
            commit_without_waiting_for_disk()
            assert _synchronous_commit() == "on"
        assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_it_is_one_statement_on_postgresql_and_none_on_sqlite() -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        commit_without_waiting_for_disk()
    sent = [q["sql"] for q in captured.captured_queries]
    assert sent == ([ASYNC] if connection.vendor == "postgresql" else [])


@pytest.mark.django_db(transaction=True)
def test_each_step_of_the_walk_sets_it_before_taking_the_lock(require_postgres) -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    complete_as_its_person(order, walk_to(order, "ansprechpersonen", coordinator), coordinator)

    with CaptureQueriesContext(connection) as captured:
        rollin = rollin_advance(order_id=order.pk, connector=InProcessConnector())

    assert rollin is not None
    sql = [q["sql"] for q in captured.captured_queries]
    locks = [i for i, s in enumerate(sql) if s.endswith("FOR UPDATE") or " FOR UPDATE OF " in s]
    assert len(locks) == 6  # the claim and five record steps
    assert all(sql[i - 1] == ASYNC for i in locks)
    assert sql.count(ASYNC) == len(locks)  # and nowhere else
    assert_clean_stage_walk(rollin)
    assert _synchronous_commit() == "on"
