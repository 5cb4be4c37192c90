"""bench_worker's queries per step: counted on the fixture's orders, walked in process."""

from __future__ import annotations

import pytest

from benchmarks.step_queries import step_cost
from benchmarks.worker_fixture import worker_fixture_create
from rollin.models import Rollin
from tests.factories_rollin import default_template

pytestmark = pytest.mark.django_db


def test_step_cost_counts_the_walk_through_every_automatic_item() -> None:
    default_template()
    order_ids = worker_fixture_create(3)

    cost = step_cost(order_ids)

    waiting = Rollin.objects.filter(order_id__in=order_ids, stage__code="test", status="waiting")
    assert waiting.count() == 3
    assert cost.steps == 3 * 5  # five connector actions from Anbindung to Test
    # Claim, call, record, history: 11.2 queries and 7.4 writes per step (17.4 and 8.2 before
    # the items were read once per transaction and a stage move claimed in its own save;
    # 30.5 and 11 before the audit-log copy and the second lock and save went).
    assert cost.queries_per_step <= 11.5
    assert cost.writes_per_step <= 7.5
    assert cost.by_table["INSERT auditlog_logentry"] == 0  # the history is the record
