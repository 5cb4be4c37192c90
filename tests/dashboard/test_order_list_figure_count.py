"""The order list's count comes from the maintained status figures when its filters are their
keys (state, service, stage, status), and from COUNT(*) otherwise: the same number either way."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.filters import FIGURE_STATUSES, order_filter_for
from dashboard.selectors import dashboard_orders_for
from tests import factories
from tests.dashboard.conftest import order_in, past
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:order_list")


@pytest.fixture
def orders(world) -> None:
    """Orders of both states at several stages and in every status."""
    kinds = [
        {"at": "bestellt"},
        {"at": "anbindung"},
        {"at": "anbindung", "on_hold": True},
        {"at": "test", "failing": True},
        {"live": True},
        {"at": "vertrag", "cancelled": True},
    ]
    places = [
        {"state": world.bavaria, "district": world.kelheim},
        {"state": world.hesse, "district": world.darmstadt, "region": None},
    ]
    # One active order per authority and service: an authority per order.
    for n, (place, service, kind) in enumerate(
        itertools.product(places, (world.meldung, world.fuehrerschein), kinds)
    ):
        authority = factories.AuthorityFactory(key=f"9{n:07d}", name=f"Behörde {n}", **place)
        RollinFactory(order__authority=authority, order__service=service, **kind)


def _filters(world) -> list[dict[str, str]]:
    choices = {
        "state": ["", str(world.bavaria.pk), str(world.hesse.pk)],
        "service": ["", str(world.meldung.pk)],
        "stage": ["", "anbindung"],
        "status": ["", *FIGURE_STATUSES],
    }
    combos = itertools.product(*choices.values())
    return [
        {key: value for key, value in zip(choices, combo, strict=True) if value} for combo in combos
    ]


@pytest.mark.parametrize("role", ["coordinator", "operator"])
def test_the_figures_count_what_the_orders_count(world, orders, role) -> None:
    user = world.coordinator if role == "coordinator" else factories.AdminFactory()
    for params in _filters(world):
        data = QueryDict(mutable=True)
        data.update({**params, "sort": "-due"})
        filterset = order_filter_for(user, data, dashboard_orders_for(user))
        counted = filterset.qs.count()
        if params.get("state") == str(world.hesse.pk) and role == "coordinator":
            # Not one of this coordinator's states: the filter refuses it, nothing to read.
            assert filterset.figure_count() is None
            continue
        assert filterset.figure_count() == counted, params


@pytest.mark.parametrize("role", ["coordinator", "operator"])
def test_the_waiting_figures_count_what_the_orders_count(world, orders, role) -> None:
    """ "Waits for the authority / the coordination", the start page's tile, per state."""
    user = world.coordinator if role == "coordinator" else factories.AdminFactory()
    for state, status in itertools.product(
        ["", str(world.bavaria.pk)], ["waiting_staff", "waiting_coordinator"]
    ):
        data = QueryDict(mutable=True)
        data.update({"status": status, "sort": "-due", **({"state": state} if state else {})})
        filterset = order_filter_for(user, data, dashboard_orders_for(user))
        assert filterset.figure_count() == filterset.qs.count(), (state, status)
    # The orders at "Bestellt" (two services) of the user's states: Bavaria, or both.
    data = QueryDict("status=waiting_coordinator")
    released = order_filter_for(user, data, dashboard_orders_for(user)).figure_count()
    assert released == (2 if role == "coordinator" else 4)


@pytest.mark.parametrize("role", ["coordinator", "operator"])
def test_the_due_figures_count_the_overdue_orders(world, role) -> None:
    """ "Overdue", the overview's link: counted as the overview counts, not over the orders."""
    order_in(world.kelheim, world.fuehrerschein, stage="vertrag", due_at=past(2))
    order_in(world.regen, world.meldung, stage="anbindung", status="on_hold", due_at=past(9))
    order_in(world.kelheim, world.meldung, stage="vertrag", due_at=past(-5))  # not yet due
    order_in(world.regen, world.fuehrerschein, stage="wirkbetrieb", due_at=past(30))  # live
    order_in(world.darmstadt, world.meldung, stage="vertrag", due_at=past(3))  # Hesse
    user = world.coordinator if role == "coordinator" else factories.AdminFactory()
    expected = {"": 2 if role == "coordinator" else 3, str(world.bavaria.pk): 2}
    for state, count in expected.items():
        data = QueryDict(mutable=True)
        data.update({"status": "overdue", "sort": "due", **({"state": state} if state else {})})
        filterset = order_filter_for(user, data, dashboard_orders_for(user))
        assert filterset.figure_count() == filterset.qs.count() == count, (role, state)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "Darm"},
        # The due figures are kept per state, not per service.
        {"status": "overdue", "service": "1"},
        # The waiting figures are kept per state, not per stage.
        {"status": "waiting_staff", "stage": "anbindung"},
        {"assignee": "unassigned"},
        {"authority": "Kelheim"},
        {"ordered_after": "2020-01-01"},
        {"service": "not-a-number"},
    ],
)
def test_filters_the_figures_do_not_hold_are_counted(world, orders, params) -> None:
    data = QueryDict(mutable=True)
    data.update(params)
    user = world.coordinator
    assert order_filter_for(user, data, dashboard_orders_for(user)).figure_count() is None


def test_the_list_pages_by_the_figures_without_counting_the_orders(client, world, orders) -> None:
    client.force_login(world.coordinator)
    params = {"service": world.meldung.pk, "status": "in_progress", "sort": "-due"}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2  # bestellt and anbindung, Bavaria
    assert len(response.context["page"].object_list) == 2
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    assert not [sql for sql in counts if 'FROM "orders_order"' in sql]

    # A search is not a figure key: counted over the orders, with the same result shape.
    response = client.get(URL, {**params, "q": "nobody"})
    assert response.context["page"].paginator.count == 0
