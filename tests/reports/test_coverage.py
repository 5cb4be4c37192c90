"""Coverage from the database equals coverage computed by hand from the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports import coverage as cov
from tests.reports.expected import expected

pytestmark = pytest.mark.django_db


def test_state_totals_match_independent_computation(world) -> None:
    coverage = cov.coverage_for_state(world.state)
    assert [s.slug for s in coverage.services] == ["fuehrerschein", "ewohnsitz"]
    for service in coverage.services:
        assert coverage.total(service).as_dict() == expected(world.state, service)


def test_known_figures_of_the_demo_world(world) -> None:
    coverage = cov.coverage_for_state(world.state)
    ew = coverage.total(world.municipal_service)
    # München, Kelheim, VG Mainburg live of six; Ergolding cancelled, Abensberg in progress.
    assert (ew.responsible, ew.live, ew.ordered, ew.in_progress) == (6, 3, 4, 1)
    assert ew.population == 1510378 + 16916 + 15436 + 2116 + 14422 + 12963 + 8774
    assert ew.population_live == 1510378 + 16916 + 15436 + 2116
    assert not ew.is_full
    fs = coverage.total(world.district_service)
    assert (fs.responsible, fs.live, fs.is_full) == (3, 3, True)
    assert fs.share_live == Decimal("100.0")


def test_region_and_district_figures_match(world) -> None:
    coverage = cov.coverage_for_state(world.state)
    for service in coverage.services:
        for region in coverage.regions:
            assert coverage.region(service, region).as_dict() == expected(
                world.state, service, region_ags=region.ags
            )
        for district in coverage.districts:
            assert coverage.district(service, district).as_dict() == expected(
                world.state, service, district_ags=district.ags
            )


@pytest.mark.parametrize("weeks", [0.5, 1.5, 4, 11, 13, 25, 35])
def test_coverage_on_a_past_date_follows_the_history(world, weeks) -> None:
    moment = world.weeks_ago(weeks)
    coverage = cov.coverage_for_state(world.state, as_of=moment)
    for service in coverage.services:
        assert coverage.total(service).as_dict() == expected(world.state, service, moment=moment)


def test_cancelled_after_live_counts_only_before_cancellation(world) -> None:
    ew = world.municipal_service
    before = cov.coverage_for_state(world.state, as_of=world.weeks_ago(1.5)).total(ew)
    after = cov.coverage_for_state(world.state, as_of=world.weeks_ago(0.5)).total(ew)
    assert before.live == 4  # München, Ergolding, Kelheim, Mainburg
    assert after.live == 3


def test_trend_for_a_past_date_equals_coverage_from_history(world) -> None:
    today = timezone.localdate()
    dates = cov.weekly_dates(today, 40)
    for service in (world.municipal_service, world.district_service):
        points = cov.trend(world.state, service, dates)
        for point in points:
            moment = cov.end_of_day(point.date)
            figures = cov.coverage_for_state(world.state, as_of=moment, services=[service])
            total = figures.total(service)
            assert (point.live, point.population_live) == (total.live, total.population_live)
            exp = expected(world.state, service, moment=moment)
            assert point.live == exp["live"]


def test_trend_today_equals_current_coverage(world) -> None:
    today = timezone.localdate()
    coverage = cov.coverage_for_state(world.state)
    for service in coverage.services:
        (point,) = cov.trend(world.state, service, [today])
        assert point.live == coverage.total(service).live


def test_not_full_at_99_percent() -> None:
    figures = cov.Figures(responsible=100, live=99, population=1000, population_live=999)
    assert not figures.is_full
    assert figures.share_live == Decimal("99.0")
    nearly = cov.Figures(responsible=2000, live=1999, population=10, population_live=10)
    assert not nearly.is_full
    # 99.95 % must not be shown as 100 %.
    assert nearly.share_live == Decimal("99.9")
    assert cov.Figures(responsible=5, live=5).is_full
    assert not cov.Figures().is_full


def test_wrong_level_orders_do_not_count(world) -> None:
    from tests.factories_reports import order_with_history

    # A Gemeinde cannot run a district-level service; such an order is not coverage.
    order_with_history(
        world,
        world.authorities["rottenburg"],
        world.district_service,
        placed=world.weeks_ago(3),
        live=world.weeks_ago(1),
    )
    total = cov.coverage_for_state(world.state).total(world.district_service)
    assert (total.responsible, total.live) == (3, 3)


def test_weekly_dates_are_oldest_first() -> None:
    today = datetime.date(2026, 11, 25)
    assert cov.weekly_dates(today, 2) == [
        datetime.date(2026, 11, 11),
        datetime.date(2026, 11, 18),
        today,
    ]
