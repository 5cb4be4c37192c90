"""The coverage figure (district × service: active and live orders, inhabitants live) follows
the roll-in's transitions, the service's level, a new Gebietsstand and an operator's move —
and the coverage report reads it instead of the orders."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geo.models import Authority
from geo.services import geodata_import_listeners_call
from reports.coverage import coverage_for_state
from rollin.figures import figures_maintained, figures_recomputed
from rollin.models import CoverageFigure
from rollin.ordering import order_cancel
from tests import factories
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import coordinator_for, order_with_rollin, walk_to_stage

pytestmark = pytest.mark.django_db


def _figure(order) -> tuple[int, int, int] | None:
    row = CoverageFigure.objects.filter(
        district=order.authority.district, service=order.service
    ).first()
    return None if row is None else (row.ordered, row.live, row.population_live)


def _agree(order) -> None:
    states = [order.authority.state_id]
    assert figures_maintained(states) == figures_recomputed(states)


def test_an_order_counts_when_placed_and_when_live_and_no_more_when_cancelled() -> None:
    authority = factories.AuthorityFactory(population=12_345)
    service = ServiceFactory()
    order = order_with_rollin(authority=authority, service=service)
    coordinator = coordinator_for(order)
    assert _figure(order) == (1, 0, 0)

    order_cancel(order=order, actor=coordinator, reason="Doppelt bestellt")
    assert _figure(order) in (None, (0, 0, 0))

    again = order_with_rollin(authority=authority, service=service)
    walk_to_stage(again, "wirkbetrieb", coordinator)
    assert _figure(again) == (1, 1, 12_345)
    _agree(again)


def test_an_order_of_an_authority_not_serving_the_level_does_not_count() -> None:
    """A Gemeinde ordering a district-level service: the report never counted it."""
    order = order_with_rollin(
        authority=factories.AuthorityFactory(), service=DistrictServiceFactory()
    )
    assert _figure(order) is None
    _agree(order)


def test_a_new_gebietsstand_recounts_inhabitants_and_ended_authorities() -> None:
    authority = factories.AuthorityFactory(population=1_000)
    live = order_with_rollin(authority=authority, service=ServiceFactory())
    coordinator = coordinator_for(live)
    walk_to_stage(live, "wirkbetrieb", coordinator)
    pending = order_with_rollin(authority=authority, service=ServiceFactory(slug="bau"))

    Authority.objects.filter(pk=authority.pk).update(population=1_500)
    geodata_import_listeners_call([authority.state.ags])  # what the import does at its end
    assert _figure(live) == (1, 1, 1_500)
    assert _figure(pending) == (1, 0, 0)

    Authority.objects.filter(pk=authority.pk).update(ended_on=datetime.date(2026, 1, 1))
    geodata_import_listeners_call([authority.state.ags])
    assert _figure(live) in (None, (0, 0, 0))
    assert _figure(pending) in (None, (0, 0, 0))

    # A later change of the ended authority's order must not count it again, nor take it off
    # twice.
    order_cancel(order=pending, actor=coordinator, reason="Gemeinde aufgelöst")
    assert _figure(pending) in (None, (0, 0, 0))
    _agree(pending)


def test_the_report_reads_the_figures_not_the_orders() -> None:
    """The current coverage costs the same queries for one order or for many."""
    service = ServiceFactory()
    first = order_with_rollin(authority=factories.AuthorityFactory(), service=service)
    state = first.authority.state

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            coverage_for_state(state)
        return [q["sql"] for q in captured.captured_queries]

    before = queries()
    for _ in range(5):
        order_with_rollin(
            authority=factories.AuthorityFactory(district=first.authority.district),
            service=service,
        )
    after = queries()
    assert len(after) == len(before)
    assert not [sql for sql in after if "orders_order" in sql]
    assert coverage_for_state(state).total(service).ordered == 6
