"""The federal figures equal an independent computation on the demo's and the national
benchmark's data (tests/reports/expected.py reads the raw rows; it shares nothing with
reports.coverage)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.demo import demo_users_ensure
from catalog.models import Service
from catalog.opening import opening_territory_import
from geo.models import State
from reports.federal import FederalOverview, federal_overview
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import default_template
from tests.reports.expected import expected

pytestmark = pytest.mark.django_db


def assert_equal_to_independent(overview: FederalOverview) -> None:
    services = list(Service.objects.filter(status=Service.Status.AVAILABLE))
    open_states = [entry for entry in overview.states if entry.is_open]
    assert open_states
    for entry in open_states:
        assert entry.state is not None
        want = {s.slug: expected(entry.state, s) for s in services}
        got = {item.service.slug: item.figures for item in entry.services}
        assert entry.full == sum(1 for f in want.values() if f["is_full"]), entry.name
        for slug, figures in got.items():
            assert figures.population_live == want[slug]["population_live"], (entry.name, slug)
            assert figures.live == want[slug]["live"], (entry.name, slug)
            assert figures.responsible == want[slug]["responsible"], (entry.name, slug)


def test_on_the_demo_data_with_saarland_beside_bavaria() -> None:
    """What `make run` loads: Bavaria and Saarland from the shipped data, opened through the
    opening flow, with demo orders at every stage in both."""
    default_template()
    ServiceFactory(slug="ewohnsitz", name="eWohnsitz", offered_in=[])
    DistrictServiceFactory(slug="fuehrerschein", name="Führerschein", offered_in=[])
    opening_territory_import(ags="09")  # as setup_portal imports it
    call_command("demo_states", stdout=io.StringIO())  # imports Saarland: 52 Gemeinden
    demo_users_ensure()
    call_command("demo_rollin", orders=20, seed=5, stdout=io.StringIO())

    bavaria = State.objects.get(ags="09")
    saarland = State.objects.get(ags="10")
    assert bavaria.is_open and saarland.is_open
    assert saarland.general_contractor and saarland.offerings.count() == 2
    overview = federal_overview()
    by_ags = {entry.ags: entry for entry in overview.states}
    assert by_ags["10"].in_rollin > 0  # Saarland's demo orders are being rolled in
    assert_equal_to_independent(overview)
