"""The overview's figures equal those counted by hand over the created rows."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from rollin.models import Rollin
from tests.dashboard.conftest import order_in, populate

pytestmark = pytest.mark.django_db


def _expected(orders: list) -> tuple[Counter, dict[str, int]]:
    now = timezone.now()
    rollins = [Rollin.objects.select_related("stage").get(order=o) for o in orders]
    matrix = Counter(
        (r.order.service.slug, r.stage.code) for r in rollins if r.status != "cancelled"
    )
    totals = {
        "ordered": sum(r.status != "cancelled" for r in rollins),
        "in_progress": sum(r.status in ("in_progress", "waiting") for r in rollins),
        "live": sum(r.status == "live" for r in rollins),
        "on_hold": sum(r.status == "on_hold" for r in rollins),
        "failing": sum(r.status == "failing" for r in rollins),
        "overdue": sum(
            r.due_at is not None and r.due_at < now and r.status not in ("live", "cancelled")
            for r in rollins
        ),
    }
    return matrix, totals


def test_overview_counts_equal_an_independent_count(client, world) -> None:
    orders = populate(world, 23)
    order_in(world.darmstadt, world.meldung)  # Hesse: not in the Bavarian coordinator's view
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:overview"))
    overview = response.context["overview"]
    matrix, totals = _expected(orders)
    for key, value in totals.items():
        assert overview.totals[key] == value, key
    shown: Counter[tuple[str, str]] = Counter()
    for service, counts, _total in overview.rows:
        for stage, count in zip(overview.stages, counts, strict=True):
            if count:
                shown[(service.slug, stage.code)] = count
    assert shown == matrix
    html = response.content.decode()
    assert f'data-total="overdue">{totals["overdue"]}<' in html
    count = matrix[("fuehrerschein", "vertrag")]
    assert f'?service={world.fuehrerschein.pk}&amp;stage=vertrag">{count}</a>' in html


def test_weekly_series_counts_placed_and_live_per_week(client, world) -> None:
    orders = populate(world, 30)
    client.force_login(world.coordinator)
    weeks = client.get(reverse("dashboard:overview")).context["weeks"]
    assert len(weeks) == 26
    first = weeks[0].start
    placed: Counter[datetime.date] = Counter()
    live: Counter[datetime.date] = Counter()
    for order in orders:
        order.refresh_from_db()
        day = timezone.localdate(order.created_at)
        start = day - datetime.timedelta(days=day.weekday())
        if start >= first:
            placed[start] += 1
        if order.rollin.live_at:
            day = timezone.localdate(order.rollin.live_at)
            start = day - datetime.timedelta(days=day.weekday())
            if start >= first:
                live[start] += 1
    assert {w.start: w.placed for w in weeks if w.placed} == dict(placed)
    assert {w.start: w.live for w in weeks if w.live} == dict(live)


def test_chart_is_accessible_svg_with_a_table(client, world) -> None:
    populate(world, 3)
    client.force_login(world.coordinator)
    html = client.get(reverse("dashboard:overview")).content.decode()
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html
    assert "<details" in html and "<caption>" in html


@pytest.mark.parametrize("count", [5, 50])
def test_overview_runs_a_constant_number_of_queries(
    client, world, count, django_assert_max_num_queries
) -> None:
    populate(world, count)
    client.force_login(world.coordinator)
    # session, user, states, stages, figures, services, overdue (2), weeks, unread, savepoints;
    # 10 for the pace block (reports.pace.pace_for_states: figures, areas, exceptions).
    with django_assert_max_num_queries(23):
        assert client.get(reverse("dashboard:overview")).status_code == 200
