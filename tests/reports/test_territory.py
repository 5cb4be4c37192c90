"""Coverage and trend with the responsibility table's exceptions and a changed Gebietsstand.

Every figure is compared with the independent computation in `expected` (issue 14).
"""

from __future__ import annotations

import datetime

import pytest

from catalog.models import Responsibility
from geo.models import Authority, Municipality
from reports import coverage as cov
from rollin.figures import figures_rebuild
from tests.factories_reports import build_world, order_with_history
from tests.reports.expected import expected

pytestmark = pytest.mark.django_db


def figures(state, service) -> dict[str, object]:
    coverage = cov.coverage_for_state(state, services=[service])
    return coverage.total(service).as_dict()


def _totals_agree(world) -> None:
    """The state totals without districts (the overview's pace) move the same inhabitants."""
    states = [world.state, world.other_state]
    services = [world.municipal_service, world.district_service]
    by_district = cov.coverage_for_states(states, services=services)
    totals = cov.coverage_totals_for_states(states, services)
    for state in states:
        for service in services:
            assert totals[(service.pk, state.pk)] == by_district[state.pk].total(service)
    # … and the trend's value on one day, summed in the database, is the trend's.
    for day in (world.weeks_ago(4).date(), world.now.date()):
        live = cov.live_on(states, services, day)
        for state in states:
            events = cov.live_events(state, services)
            for service in services:
                (point,) = cov.trend_points(events.get(service.pk, []), [day])
                assert live.get((service.pk, state.pk), 0) == point.live
    # … on several days at once too: the maintained totals less the days after each.
    days = [world.weeks_ago(weeks).date() for weeks in (9, 7, 5, 3, 1)] + [world.now.date()]
    on_days = cov.live_on_days(states, services, days)
    for state in states:
        events = cov.live_events(state, services)
        for service in services:
            points = cov.trend_points(events.get(service.pk, []), days)
            assert [on_days[p.date].get((service.pk, state.pk), 0) for p in points] == [
                p.live for p in points
            ]


def test_a_town_responsible_by_exception_counts_beside_its_landratsamt(stage_template) -> None:
    world = build_world(orders=False)
    town, lra = world.authorities["kelheim"], world.authorities["lra_kelheim"]
    service = world.district_service
    Responsibility.objects.create(
        service=service,
        municipality=Municipality.objects.get(ags="09273137"),
        authority=town,
        source=Responsibility.Source.OVERRIDE,
        legal_basis="Art. 53 Abs. 2 BayBO (Beispiel)",
    )
    order_with_history(world, lra, service, placed=world.weeks_ago(8), live=world.weeks_ago(6))

    coverage = cov.coverage_for_state(world.state, services=[service])
    kelheim = next(d for d in coverage.districts if d.ags == "09273")
    district = coverage.district(service, kelheim)
    assert (district.responsible, district.live, district.is_full) == (2, 1, False)
    assert district.population_live == district.population - 16916
    assert coverage.total(service).as_dict() == expected(world.state, service)
    assert district.as_dict() == expected(world.state, service, district_ags="09273")
    _totals_agree(world)

    order_with_history(world, town, service, placed=world.weeks_ago(3), live=world.weeks_ago(2))
    coverage = cov.coverage_for_state(world.state, services=[service])
    assert coverage.district(service, kelheim).is_full
    _totals_agree(world)
    assert coverage.total(service).as_dict() == expected(world.state, service)
    # The trend gives each its own inhabitants: Kelheim's from two weeks ago.
    events = cov.live_events(world.state, [service])[service.pk]
    before, after = cov.trend_points(
        events, [(world.now - datetime.timedelta(weeks=4)).date(), world.now.date()]
    )
    assert before.population_live == district.population - 16916
    assert after.population_live == district.population


def test_an_ended_municipality_counts_until_its_gebietsstand_only(stage_template) -> None:
    world = build_world(orders=False)
    service = world.municipal_service
    abensberg = world.authorities["abensberg"]
    order_with_history(
        world, abensberg, service, placed=world.weeks_ago(8), live=world.weeks_ago(6)
    )
    ended_on = world.weeks_ago(2).date()
    Municipality.objects.filter(ags="09273111").update(ended_on=ended_on)
    Authority.objects.filter(pk=abensberg.pk).update(ended_on=ended_on)
    figures_rebuild()  # what the import of the Gebietsstand runs (see rollin.apps)

    now = figures(world.state, service)
    assert now == expected(world.state, service)
    assert now["live"] == 0
    then = world.weeks_ago(4)
    past = cov.coverage_for_state(world.state, as_of=then, services=[service]).total(service)
    assert past.as_dict() == expected(world.state, service, moment=then)
    assert past.live == 1 and past.population_live == 14422

    events = cov.live_events(world.state, [service])[service.pk]
    four_weeks, today = cov.trend_points(events, [then.date(), world.now.date()])
    assert (four_weeks.live, four_weeks.population_live) == (1, 14422)
    assert (today.live, today.population_live) == (0, 0)
