"""The map page's rendered fragment: reused while the roll-in data stays the same, rebuilt at
once when a roll-in changes (the suite otherwise runs with the cache off)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import DISTRICT_TABLE_KEYS
from reports.tables import valid_sort
from rollin.figures import figures_rebuild
from rollin.models import Rollin
from tests.reports.expected import expected


def _map(client, service, **params):
    url = reverse("reports:map_report", args=["09"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"service": service.slug, **params})
    assert response.status_code == 200
    page = response.content.decode()
    fragment = page[page.index('data-testid="map-totals"') : page.index("</main>")]
    aggregated = any("GROUP BY" in q["sql"] for q in captured.captured_queries)
    return fragment, aggregated


def _totals(world, service) -> str:
    total = expected(world.state, service)
    return f"{total['live']} von {total['responsible']} zuständigen Behörden sind live."


@pytest.mark.django_db
def test_the_map_is_rendered_once_per_data_version(client, world, bavaria_viewer, cached) -> None:
    service = world.municipal_service
    client.force_login(bavaria_viewer)

    first, aggregated_first = _map(client, service)
    second, aggregated_second = _map(client, service)
    assert aggregated_first and not aggregated_second
    assert second == first
    assert _totals(world, service) in first

    rollin = (
        Rollin.objects.filter(
            order__service=service,
            order__cancelled_at__isnull=True,
            order__authority__state__ags="09",
            order__authority__is_municipal_level=True,
        )
        .exclude(status=Rollin.Status.LIVE)
        .first()
    )
    assert rollin is not None
    rollin.status = Rollin.Status.LIVE
    rollin.live_at = rollin.live_at or rollin.stage_entered_at
    rollin.status_before_hold = rollin.hold_reason = ""
    rollin.save()  # every transition saves the roll-in: the data version moves
    figures_rebuild()  # what the transition counts with it; a write by hand is followed by this

    changed, aggregated = _map(client, service)
    assert aggregated
    assert changed != first
    assert _totals(world, service) in changed


@pytest.mark.django_db
def test_sorts_and_languages_get_their_own_fragment(client, world, bavaria_viewer, cached) -> None:
    service = world.municipal_service
    client.force_login(bavaria_viewer)
    german, _ = _map(client, service)
    by_share, aggregated = _map(client, service, sort="-share_live")
    assert aggregated and by_share != german
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english, aggregated = _map(client, service)
    assert aggregated and english != german


def test_only_known_sorts_reach_the_cache_key() -> None:
    assert valid_sort("-share_live", DISTRICT_TABLE_KEYS) == "-share_live"
    assert valid_sort("area", DISTRICT_TABLE_KEYS) == "area"
    for unknown in ["", None, "--area", "contact_email", "-" + "x" * 500, "area;drop"]:
        assert valid_sort(unknown, DISTRICT_TABLE_KEYS) == ""
