"""The order list's pages are the head of an index on PostgreSQL (dashboard.filters): each
sort the list offers on a large scale has the index it needs, and the list's query has the
shape that index serves. Small test data would tempt the planner to scan and sort, so
sequential scans and explicit sorts are priced out: a plan that still sorts here would sort
500,000 orders in production."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict

from dashboard.filters import order_filter_for
from dashboard.selectors import dashboard_orders_for
from tests.dashboard.conftest import order_in, past

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]


def _plan(user, params: str, *, in_groups: bool) -> str:
    filterset = order_filter_for(user, QueryDict(params), dashboard_orders_for(user))
    sql, sql_params = filterset.qs[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # Only a sort by a name walks the named rows in order and sorts each one's few
        # orders; every other sort's index holds the whole order, tie-break included.
        cursor.execute(f"SET LOCAL enable_incremental_sort = {'on' if in_groups else 'off'}")
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ("state={state}&service={service}&status=in_progress&sort=-due", "rollin_list_by_due"),
        ("sort=-due", "rollin_due_last"),
        ("sort=due", "rollin_due_first"),
        ("sort=-ordered", "orders_orde_created_0fb29d_idx"),
        ("sort=status", "rollin_status_first"),
        ("sort=-status", "rollin_status_last"),
        ("sort=stage", "rollin_stage_first"),
        ("sort=-stage", "rollin_stage_last"),
        ("sort=assignee", "rollin_assignee_first"),
        ("sort=-assignee", "rollin_assignee_last"),
        ("state={state}&sort=authority", "geo_authority_name"),
    ],
)
def test_each_sort_reads_its_index_in_order(world, params, index) -> None:
    order_in(world.kelheim, world.fuehrerschein, stage="vertrag", due_at=past(2))
    order_in(world.regen, world.meldung, stage="bestellt")
    query = params.format(state=world.bavaria.pk, service=world.fuehrerschein.pk)
    plan = _plan(world.coordinator, query, in_groups="sort=authority" in params)
    assert index in plan, plan
    assert not _full_sorts(plan), plan


def _full_sorts(plan: str) -> list[str]:
    """Plan nodes that sort all their input (an incremental sort of presorted groups is not)."""
    return [line for line in plan.splitlines() if line.strip(" ->").startswith("Sort  (")]
