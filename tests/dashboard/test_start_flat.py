"""The start pages cost the same whatever the size of the catalog or the number of states:
the blockers of every service in one go, the ministry's states in one go."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from catalog.models import Service
from catalog.rules import service_order_blocker, service_order_blockers
from dashboard.selectors import attention_counts, my_queue_for, overdue_q
from orders.selectors import order_visible_to
from reports.coverage import coverage_for_state
from rollin.models import ItemDefinition, Rollin
from rollin.waiting import next_item_is_for
from tests import factories
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up: session, caches of the process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _catalog_of_every_kind(n: int) -> None:
    """Services the staff can order, a district-level one, a planned one, one not offered."""
    for i in range(n):
        ServiceFactory(slug=f"frei-{n}-{i}")
        DistrictServiceFactory(slug=f"kreis-{n}-{i}")
        ServiceFactory(slug=f"geplant-{n}-{i}", status=Service.Status.PLANNED)
        ServiceFactory(slug=f"nirgends-{n}-{i}", offered_in=[])


def test_the_staff_start_page_runs_the_same_queries_for_a_larger_catalog(client) -> None:
    staff = factories.StaffFactory()
    client.force_login(staff)
    _catalog_of_every_kind(1)
    few = _queries(client, reverse("start"))
    _catalog_of_every_kind(6)
    assert _queries(client, reverse("start")) == few


def test_the_blockers_in_one_go_are_each_services_own(client) -> None:
    staff = factories.StaffFactory()
    _catalog_of_every_kind(2)
    services = list(Service.objects.all())
    together = service_order_blockers(staff, services)
    assert together == {service.pk: service_order_blocker(staff, service) for service in services}
    reasons = {service.slug: together[service.pk] or "" for service in services}
    assert together[Service.objects.get(slug="frei-2-0").pk] is None
    assert "Kreisebene" in reasons["kreis-2-0"]
    assert "in Planung" in reasons["geplant-2-0"]
    assert "nicht angeboten" in reasons["nirgends-2-0"]
    # Not staff of an authority: one reason for every service, no query per service.
    coordinator = factories.CoordinatorFactory()
    assert set(service_order_blockers(coordinator, services).values()) == {
        "Bestellen können nur Mitarbeitende einer Behörde für ihre eigene Behörde."
    }


def test_the_ministry_start_page_reads_all_states_in_one_go(client) -> None:
    bavaria = factories.StateFactory()
    hesse = factories.StateFactory(ags="06", name="Hessen")
    saxony = factories.StateFactory(ags="14", name="Sachsen")
    live = RollinFactory(live=True, order__authority=factories.AuthorityFactory(population=4_321))
    viewer = factories.ViewerFactory(states=[bavaria])
    client.force_login(viewer)
    one = _queries(client, reverse("start"))
    viewer.states.set([bavaria, hesse, saxony])
    assert _queries(client, reverse("start")) == one

    glances = client.get(reverse("start")).context["glances"]
    assert [glance.state for glance in glances] == [hesse, bavaria, saxony]  # by AGS
    for glance in glances:
        coverage = coverage_for_state(glance.state)
        for service, figures in glance.services:
            assert figures.as_dict() == coverage.total(service).as_dict()
    bavarian = dict(glances[1].services)[live.order.service]
    assert (bavarian.live, bavarian.population_live) == (1, 4_321)


def test_the_coordinators_counts_from_the_figures_match_the_orders(client) -> None:
    """failing, on hold, overdue and waiting come from the maintained figures: the same
    numbers as counting the orders and their open items themselves."""
    authority = factories.AuthorityFactory()
    coordinator = factories.CoordinatorFactory(states=[authority.state])
    colleague = factories.CoordinatorFactory(states=[authority.state])
    late = timezone.now() - datetime.timedelta(days=3)
    kinds: list[dict[str, Any]] = [
        {"at": "bestellt"},
        {"at": "bestellt", "due_at": late},
        {"at": "bestellt", "assignee": coordinator},
        {"at": "bestellt", "assignee": colleague},
        {"at": "vertrag"},
        {"at": "anbindung", "failing": True},
        {"at": "anbindung", "on_hold": True, "due_at": late},
        {"live": True},
    ]
    for n, kind in enumerate(kinds):
        RollinFactory(
            order__authority=authority, order__service=ServiceFactory(slug=f"s{n}"), **kind
        )
    RollinFactory(at="bestellt", order__authority=factories.AuthorityFactory(
        key="06411000", state=factories.StateFactory(ags="06", name="Hessen")
    ))  # fmt: skip
    # Whose turn it is from the items, not from the column the transitions keep.
    coordination_next = Rollin.objects.filter(
        next_item_is_for(ItemDefinition.Actor.COORDINATOR), status=Rollin.Status.WAITING
    )
    expected = order_visible_to(coordinator).aggregate(
        waiting=Count("id", filter=Q(rollin__in=coordination_next)),
        overdue=Count("id", filter=overdue_q(timezone.now())),
        failing=Count("id", filter=Q(rollin__status=Rollin.Status.FAILING)),
        on_hold=Count("id", filter=Q(rollin__status=Rollin.Status.ON_HOLD)),
    )
    assert expected == {"waiting": 4, "overdue": 2, "failing": 1, "on_hold": 1}
    counts = attention_counts(coordinator)
    assert {key: counts[key] for key in expected} == expected
    # Theirs or nobody's: not the colleague's.
    assert counts["queue"] == my_queue_for(coordinator).count() == 3
    assert attention_counts(colleague)["queue"] == 3


def test_the_federal_ministry_starts_with_the_coverage_of_every_open_state(client) -> None:
    bavaria = factories.StateFactory()
    saarland = factories.StateFactory(ags="10", name="Saarland")
    factories.StateFactory(ags="06", name="Hessen", opened_at=None)
    federal = factories.UserFactory(role=Role.FEDERAL)
    client.force_login(federal)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert [glance.state for glance in response.context["glances"]] == [bavaria, saarland]
    page = response.content.decode()
    assert reverse("reports:state_report", args=["10"]) in page
    assert reverse("accounts:my_authority") not in page  # not the way to an authority
