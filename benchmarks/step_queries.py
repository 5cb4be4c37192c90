"""Queries and writes per worker step: what one `advance` costs the database.

The Celery worker runs in other processes, where queries cannot be counted; the same
`rollin_advance` with the same in-process Fachverfahren is run here, on a few of the
benchmark's orders, under Django's query capture. A step is one connector call (claim,
call, record); the stage moves between them are counted in the totals per order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollin.connectors import ConnectorResult, InProcessConnector
from rollin.models import RollinItem
from rollin.worker import rollin_advance

_VERB = re.compile(r"^\s*(\w+)")
WRITES = {"INSERT", "UPDATE", "DELETE"}
# Transaction bookkeeping the capture sees too (SAVEPOINT, RELEASE): no data, still a
# round trip.
BOOKKEEPING = {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}


@dataclass
class StepCost:
    orders: int
    steps: int
    queries: int
    writes: int
    by_table: Counter[str]
    savepoints: int = 0  # SAVEPOINT and RELEASE round trips, not counted as queries

    @property
    def queries_per_step(self) -> float:
        return self.queries / self.steps if self.steps else 0.0

    @property
    def writes_per_step(self) -> float:
        return self.writes / self.steps if self.steps else 0.0


class CountingConnector(InProcessConnector):
    """The in-process Fachverfahren, counting its calls (one per step)."""

    calls = 0

    def run(self, *, item: RollinItem) -> ConnectorResult:
        self.calls += 1
        return super().run(item=item)


def step_cost(order_ids: list[int]) -> StepCost:
    """Walk the orders in this process and count every statement sent to the database."""
    connector = CountingConnector()
    with CaptureQueriesContext(connection) as captured:
        for order_id in order_ids:
            rollin_advance(order_id=order_id, connector=connector)
    queries = writes = savepoints = 0
    by_table: Counter[str] = Counter()
    for query in captured.captured_queries:
        sql = query["sql"]
        match = _VERB.match(sql)
        verb = match.group(1).upper() if match else ""
        if verb in BOOKKEEPING:
            savepoints += verb in ("SAVEPOINT", "RELEASE")
            continue
        queries += 1
        if verb in WRITES:
            writes += 1
            table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', sql)
            by_table[f"{verb} {table.group(1) if table else '?'}"] += 1
    return StepCost(len(order_ids), connector.calls, queries, writes, by_table, savepoints)
