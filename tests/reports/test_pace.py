"""Will we make it? The rate needed to reach every responsible authority by the target date,
beside the rate of the last four weeks, on the ministry report and the coordinator overview."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import coverage as cov
from reports.pace import ServicePace, pace_for_states, weeks_until
from tests import factories
from tests.factories_reports import ReportWorld, order_with_history

pytestmark = pytest.mark.django_db


def test_needed_rate_spreads_the_missing_authorities_over_the_weeks_left(world) -> None:
    pace = ServicePace(service=world.municipal_service)
    figures = cov.Figures(responsible=30, live=9, ordered=20)
    pace.add_state(figures, live_window_start=5, weeks_left=Decimal(3))
    assert pace.missing == 21 and pace.white_spots == 10
    assert pace.needed_per_week == Decimal("7.0")
    assert pace.achieved_per_week == Decimal("1.0")  # 4 gained in 4 weeks
    assert not pace.on_track


def test_past_target_date_needs_an_impossible_rate(world) -> None:
    pace = ServicePace(service=world.municipal_service)
    pace.add_state(cov.Figures(responsible=3, live=1), live_window_start=1, weeks_left=Decimal(0))
    assert pace.needed_per_week is None and not pace.on_track
    full = ServicePace(service=world.municipal_service)
    full.add_state(cov.Figures(responsible=3, live=3), live_window_start=1, weeks_left=Decimal(0))
    assert full.on_track and full.needed_per_week == 0


def test_weeks_until_counts_the_target_day() -> None:
    assert weeks_until(datetime.date(2026, 12, 31), datetime.date(2026, 12, 25)) == 1


def _municipal_row(paces: list[ServicePace], world: ReportWorld) -> ServicePace:
    return next(p for p in paces if p.service == world.municipal_service)


def test_pace_counts_from_the_coverage_now_and_four_weeks_ago(world) -> None:
    service = world.municipal_service
    today = timezone.localdate()
    figures_now = cov.coverage_for_state(world.state).total(service)
    # One more authority goes live this week: the achieved rate rises by a quarter.
    spare = factories.AuthorityFactory(
        district=world.districts[1], key="092739999", population=1234
    )
    order_with_history(world, spare, service, placed=world.weeks_ago(3), live=world.weeks_ago(1))
    before = _municipal_row(pace_for_states([world.state]), world)
    assert before.responsible == figures_now.responsible + 1
    assert before.live == figures_now.live + 1
    events = cov.live_events(world.state, services=[service]).get(service.pk, [])
    four_weeks_ago = today - datetime.timedelta(weeks=4)
    live_then = cov.trend_points(events, [four_weeks_ago])[0].live
    assert before.gained == before.live - live_then
    expected_needed = (
        Decimal(before.missing) / weeks_until(world.state.target_date, today)
    ).quantize(Decimal("0.1"))
    assert before.needed_per_week == expected_needed


def test_ministry_report_and_overview_show_the_same_pace(client, world, settings) -> None:
    settings.ROLLIN_FIGURES_CACHE_SECONDS = 0
    viewer = factories.ViewerFactory(states=[world.state])
    coordinator = factories.CoordinatorFactory(states=[world.state])
    client.force_login(viewer)
    report = client.get(reverse("reports:state_report", args=[world.state.ags]))
    client.force_login(coordinator)
    overview = client.get(reverse("dashboard:overview"))
    for response in (report, overview):
        assert response.status_code == 200
        assert 'data-testid="pace"' in response.content.decode()

    def key(p: ServicePace) -> tuple[object, ...]:
        return (p.service.pk, p.responsible, p.ordered, p.live, p.needed_per_week, p.gained)

    from_report = {key(p) for p in report.context["pace"]}
    from_overview = {key(p) for p in overview.context["pace"]}
    assert any(p.gained for p in report.context["pace"])  # the window holds real history
    assert from_report == from_overview
    # The ministry sees figures only; the white-spot page is the coordinators'.
    assert reverse("dashboard:white_spots") not in report.content.decode()
    assert reverse("dashboard:white_spots") in overview.content.decode()


def test_pace_runs_the_same_queries_for_one_state_or_two(world) -> None:
    """And none of them reads the orders or their history: the maintained figures, the areas,
    the authorities and the few exceptions of the responsibility table."""

    def queries(states: list) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            pace_for_states(states)
        return [q["sql"] for q in captured.captured_queries]

    one, two = queries([world.state]), queries([world.state, world.other_state])
    assert len(one) == len(two) <= 10
    assert not [sql for sql in one if "rollin_historyentry" in sql]
