"""The federal view: per state the services flächendeckend against the agreement's five."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from catalog.models import Service
from geo.models import State
from reports.federal import federal_overview
from tests import factories
from tests.factories_reports import ReportWorld, build_world
from tests.reports.expected import expected

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ReportWorld:
    world = build_world()
    # A state whose territory is imported but that is not open yet.
    factories.StateFactory(ags="10", name="Saarland", opened_at=None)
    return world


def independent(state: State) -> dict[str, object]:
    """Services flächendeckend and inhabitants covered, from the raw rows (tests/reports/
    expected.py shares nothing with reports.coverage)."""
    services = Service.objects.filter(status=Service.Status.AVAILABLE)
    figures = {s.slug: expected(state, s) for s in services}
    return {
        "full": sum(1 for f in figures.values() if f["is_full"]),
        "population_live": {slug: f["population_live"] for slug, f in figures.items()},
        "live": {slug: f["live"] for slug, f in figures.items()},
    }


def test_federal_figures_equal_an_independent_computation(world) -> None:
    overview = federal_overview()
    by_ags = {entry.ags: entry for entry in overview.states}
    for state in (world.state, world.other_state):
        entry = by_ags[state.ags]
        want = independent(state)
        assert entry.full == want["full"]
        assert {i.service.slug: i.figures.population_live for i in entry.services} == want[
            "population_live"
        ]
        assert {i.service.slug: i.figures.live for i in entry.services} == want["live"]
    # Bavaria: the Führerschein is live at all three district-level authorities; eWohnsitz not.
    assert by_ags["09"].full == 1
    assert by_ags["08"].full == 1  # Stuttgart, the only responsible authority, is live


def test_every_state_is_listed_and_states_not_open_have_no_figures(world) -> None:
    overview = federal_overview()
    assert [entry.ags for entry in overview.states] == [f"{n:02d}" for n in range(1, 17)]
    saarland = next(entry for entry in overview.states if entry.ags == "10")
    hessen = next(entry for entry in overview.states if entry.ags == "06")
    assert saarland.state is not None and not saarland.is_open and saarland.services == []
    assert hessen.state is None and hessen.name == "Hessen" and not hessen.is_open
    assert len(overview.open_states) == 2


def test_offered_services_and_services_in_rollin(world) -> None:
    bavaria = next(entry for entry in federal_overview().states if entry.ags == "09")
    # Both available services are offered in Bavaria (the factories offer there).
    assert bavaria.offered == 2
    # eWohnsitz is ordered but not flächendeckend; the Führerschein is flächendeckend.
    assert bavaria.in_rollin == 1
    assert bavaria.target == 5
    assert bavaria.pace is not None and not bavaria.pace.on_track


def test_public_page_shows_each_state_and_marks_closed_states(client, world) -> None:
    response = client.get(reverse("reports:federal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bayern" in html and "Baden-Württemberg" in html and "Saarland" in html
    assert "noch nicht eröffnet" in html
    # The map: 16 states, Bavaria titled with its count, Saarland as not open.
    assert html.count("data-ags=") == 16
    assert "Bayern: 1 Leistungen flächendeckend" in html
    assert "Saarland: noch nicht eröffnet" in html


def test_csv_export_has_no_zero_for_a_state_not_open(client, world) -> None:
    response = client.get(reverse("reports:federal"), {"format": "csv", "table": "laender"})
    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if response.streaming
        else (response.content.decode("utf-8-sig"))
    )
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert rows["Saarland"][2] == ""
    assert rows["Bayern"][3] == "1"


def test_api_lists_all_states_with_nulls_for_states_not_open(client, world) -> None:
    response = client.get(reverse("api-coverage-federal"))
    assert response.status_code == 200
    rows = {row["state"]: row for row in response.json()}
    assert len(rows) == 16
    assert rows["10"]["is_open"] is False and rows["10"]["services_full"] is None
    assert rows["09"]["services_full"] == 1
    fuehrerschein = next(s for s in rows["09"]["services"] if s["service"] == "fuehrerschein")
    assert (
        fuehrerschein["population_live"]
        == expected(world.state, world.district_service)["population_live"]
    )


def test_federal_page_queries_do_not_grow_with_states(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:federal")).status_code == 200
