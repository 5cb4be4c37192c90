"""The overview's cache: served while nothing changed, recomputed after a roll-in or an order
changed (the suite otherwise runs with the cache off)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rollin.models import Rollin
from tests.dashboard.conftest import order_in, populate

pytestmark = pytest.mark.django_db


def _overview(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    return response, "GROUP BY" in sql


def _figures(response) -> str:
    html = response.content.decode()
    start = html.index('<section aria-labelledby="totals-heading"')
    return html[start : html.index("</details>", start)]


def test_unchanged_data_is_served_from_the_cache(client, world, cached) -> None:
    populate(world, 8)
    client.force_login(world.coordinator)
    first, aggregated_first = _overview(client)
    second, aggregated_second = _overview(client)

    assert aggregated_first and not aggregated_second
    assert second.context["overview"].totals == first.context["overview"].totals
    assert _figures(second) == _figures(first)  # the page around differs: nonce, CSRF


def test_a_roll_in_change_or_a_new_order_shows_at_once(client, world, cached) -> None:
    orders = populate(world, 8)
    client.force_login(world.coordinator)
    before = _overview(client)[0].context["overview"].totals

    rollin = Rollin.objects.get(order=orders[0])
    rollin.status_before_hold, rollin.status = rollin.status, Rollin.Status.ON_HOLD
    rollin.save()  # every transition saves the roll-in: updated_at moves
    held, aggregated = _overview(client)
    assert aggregated
    assert held.context["overview"].totals["on_hold"] == before["on_hold"] + 1
    assert f'data-total="on_hold">{before["on_hold"] + 1}<' in held.content.decode()

    order_in(world.kelheim, world.meldung)
    placed, aggregated = _overview(client)
    assert aggregated
    assert placed.context["overview"].totals["ordered"] == before["ordered"] + 1


def test_coordinators_of_other_states_get_their_own_figures(client, world, cached) -> None:
    populate(world, 4)
    order_in(world.darmstadt, world.meldung)
    client.force_login(world.coordinator)
    bavaria = _overview(client)[0].context["overview"].totals
    client.force_login(world.hesse_coordinator)
    hesse = _overview(client)[0].context["overview"].totals

    assert bavaria["ordered"] == 4
    assert hesse["ordered"] == 1


def test_a_cached_page_does_not_load_the_overview_at_all(
    client, world, cached, monkeypatch
) -> None:
    populate(world, 4)
    client.force_login(world.coordinator)
    first, _ = _overview(client)

    def must_not_load(*args, **kwargs):
        raise AssertionError("the cached fragment needs no overview")

    monkeypatch.setattr("dashboard.selectors.overview_for", must_not_load)
    with CaptureQueriesContext(connection) as captured:
        second = client.get(reverse("dashboard:overview"))

    assert _figures(second) == _figures(first)
    assert len(captured.captured_queries) <= 5  # session, user, version, states, unread count
