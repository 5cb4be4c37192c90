"""Faults with the real services: the broker down, Redis losing its queue, the database
connection lost mid-task. The database is the source of truth; the sweep (beat, every minute)
re-enqueues from it, so a lost message only delays an order, never loses it.

The worker is stood in for by draining the Redis queue in this process (each message run
with the task's own code); the real-worker kill test lives in tests/rollin/test_worker.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import redis
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from digitalmarkt.celery import app as celery_app
from orders.models import Order
from rollin import worker
from rollin.models import HistoryEntry, Rollin, RollinItem
from rollin.worker import rollin_sweep
from tests.factories_rollin import (
    complete_as_its_person,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)
from tests.security.broker import CLOSED_PORT_BROKER, broker_at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

LATER = datetime.timedelta(hours=2)  # past every claim and "stuck" threshold


@pytest.fixture
def broker(require_postgres, require_redis, settings) -> Iterator[str]:
    settings.ROLLIN_CONNECTOR = "inprocess"
    with broker_at(require_redis):
        redis.Redis.from_url(require_redis).flushdb()
        yield require_redis
        redis.Redis.from_url(require_redis).flushdb()


def queued_tasks(broker_url: str) -> list[tuple[str, list[Any]]]:
    """Take every message off the default queue: (task name, args)."""
    taken = []
    with celery_app.connection_for_read() as conn:
        queue = conn.SimpleQueue("celery")
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                args, _kwargs, _embed = message.decode()
                taken.append((message.headers["task"], list(args)))
                message.ack()
        finally:
            queue.close()
    return taken


def run_queued(broker_url: str) -> list[int]:
    """Be the worker: run every queued advance task; the order ids it walked."""
    walked = []
    for name, args in queued_tasks(broker_url):
        if name == "rollin.tasks.advance":
            celery_app.tasks[name].apply(args=tuple(args), throw=True)
            walked.append(args[0])
    return walked


class _Halt(Exception):
    """Raised by the stand-in connector: the walk reached the first automatic item."""


class _HaltingConnector:
    def run(self, *, item: RollinItem) -> Any:
        raise _Halt(item.definition.code)


def to_first_automatic_stage(order: Order) -> Rollin:
    """People complete their items, a stand-in worker moves the stages, until the next step is
    an automatic item (stage anbindung). The stand-in's claim expires at once, so the real
    task may take the item right away."""
    coordinator = coordinator_for(order)
    while True:
        rollin = Rollin.objects.get(order=order)
        if rollin.status == Rollin.Status.WAITING:
            order.rollin = rollin
            complete_as_its_person(order, open_manual_item(order.rollin), coordinator)
            continue
        try:
            with override_settings(ROLLIN_CLAIM_SECONDS=0):
                worker.rollin_advance(order_id=order.pk, connector=_HaltingConnector())
        except _Halt:
            rollin.refresh_from_db()
            assert rollin.stage.code == "anbindung"
            return rollin


def assert_consistent(rollin: Rollin) -> None:
    history = list(rollin.history.order_by("seq"))
    assert [h.seq for h in history] == list(range(1, len(history) + 1))
    advanced = [h.to_stage_id for h in history if h.action == HistoryEntry.Action.ADVANCED]
    assert len(advanced) == len(set(advanced)), "a stage was entered twice"
    done_twice = [
        code
        for code in {h.item_id for h in history if h.action == "item_done"}
        if sum(1 for h in history if h.action == "item_done" and h.item_id == code) > 1
    ]
    assert done_twice == []


def test_placing_an_order_with_the_broker_down_does_not_fail(broker) -> None:
    with broker_at(CLOSED_PORT_BROKER):
        order = order_with_rollin()
    assert Rollin.objects.filter(order=order).exists()


def test_order_placed_with_the_broker_down_is_saved_and_the_sweep_walks_it(broker) -> None:
    with broker_at(CLOSED_PORT_BROKER):
        # Each step commits first; its enqueue fails and is logged, not raised.
        order = order_with_rollin()
        rollin = to_first_automatic_stage(order)
    assert Order.objects.filter(pk=order.pk).exists()
    assert rollin.history.filter(action=HistoryEntry.Action.PLACED).count() == 1
    assert rollin.status == Rollin.Status.IN_PROGRESS
    stage_before = rollin.stage.code
    assert queued_tasks(broker) == []  # every advance message was lost

    # The broker is back: beat runs the sweep, which finds the order in the database.
    rollin_sweep(now=timezone.now() + LATER)

    assert run_queued(broker) == [order.pk]
    rollin.refresh_from_db()
    assert rollin.stage.code != stage_before or rollin.status == Rollin.Status.WAITING
    assert rollin.items.filter(stage__code=stage_before, status=RollinItem.Status.DONE).exists()
    assert_consistent(rollin)


def test_redis_restarted_with_queued_tasks_loses_nothing(broker) -> None:
    order = order_with_rollin()
    rollin = to_first_automatic_stage(order)
    assert ("rollin.tasks.advance", [order.pk]) in [(name, args) for name, args in _peek(broker)]

    redis.Redis.from_url(broker).flushdb()  # a restart without persistence: the queue is gone
    assert queued_tasks(broker) == []

    rollin_sweep(now=timezone.now() + LATER)
    assert order.pk in run_queued(broker)
    rollin.refresh_from_db()
    assert rollin.items.filter(stage__code="anbindung", status=RollinItem.Status.DONE).exists()
    assert_consistent(rollin)


def _peek(broker_url: str) -> list[tuple[str, list[Any]]]:
    taken = queued_tasks(broker_url)
    for name, args in taken:  # put them back as they were
        celery_app.send_task(name, args=args)
    return taken


def test_database_connection_lost_mid_task_retries_and_stays_consistent(broker) -> None:
    order = order_with_rollin()
    rollin = to_first_automatic_stage(order)
    queued_tasks(broker)  # drop the normal enqueue; we run the task by hand
    history_before = rollin.history.count()
    stage_before = rollin.stage_id

    # The connector call succeeded, then the database went away before the result was written.
    with (
        mock.patch.object(
            worker, "_record_step", side_effect=OperationalError("server closed the connection")
        ),
        pytest.raises(OperationalError),
    ):
        celery_app.tasks["rollin.tasks.advance"].apply(args=(order.pk,), throw=True)

    rollin.refresh_from_db()
    assert rollin.stage_id == stage_before
    assert rollin.history.count() == history_before  # nothing half-written
    assert rollin.claimed_until is not None  # the claim it held expires on its own

    # Retry: once the claim has expired the sweep re-enqueues, the repeat call (same
    # idempotency key) completes the item exactly once.
    rollin_sweep(now=timezone.now() + LATER)
    with mock.patch("rollin.services.timezone.now", return_value=timezone.now() + LATER):
        assert order.pk in run_queued(broker)
    rollin.refresh_from_db()
    assert rollin.history.count() > history_before
    assert_consistent(rollin)
