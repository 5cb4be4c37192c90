"""Projection of the date of full coverage: the pure function, then as the pages show it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from orders.models import Order
from reports.projection import method_text, project_full_coverage
from tests.reports import html

TODAY = datetime.date(2026, 11, 25)
TARGET = datetime.date(2026, 12, 31)


def test_zero_pace_is_not_foreseeable() -> None:
    projection = project_full_coverage(
        responsible=10,
        live=4,
        live_window_start=4,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert projection.date is None
    assert not projection.is_foreseeable
    assert not projection.meets_target
    assert projection.label == "bei aktuellem Tempo nicht absehbar"


def test_shrinking_coverage_is_not_foreseeable() -> None:
    projection = project_full_coverage(
        responsible=10,
        live=3,
        live_window_start=5,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert projection.date is None and projection.pace_per_week == 0


def test_positive_pace_extrapolates_linearly() -> None:
    # 4 authorities in 8 weeks = 0.5 per week; 6 remaining = 12 weeks = 84 days.
    projection = project_full_coverage(
        responsible=10,
        live=4,
        live_window_start=0,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert projection.pace_per_week == 0.5
    assert projection.date == TODAY + datetime.timedelta(days=84)
    assert not projection.meets_target
    assert projection.label == "17.02.2027"


def test_fast_pace_meets_target() -> None:
    projection = project_full_coverage(
        responsible=10,
        live=8,
        live_window_start=0,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert projection.date == TODAY + datetime.timedelta(days=2 * 7)
    assert projection.meets_target


def test_already_full() -> None:
    projection = project_full_coverage(
        responsible=3,
        live=3,
        live_window_start=1,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert projection.is_full and projection.meets_target and projection.date is None
    assert projection.label == "flächendeckend erreicht"


def test_no_responsible_authority_is_not_full() -> None:
    projection = project_full_coverage(
        responsible=0,
        live=0,
        live_window_start=0,
        window_weeks=8,
        today=TODAY,
        target_date=TARGET,
    )
    assert not projection.is_full and projection.date is None


def test_method_names_the_window() -> None:
    assert "8 Wochen" in method_text(8)


# --- On the pages ---------------------------------------------------------------------------


def _stall_ewohnsitz(world) -> None:
    """Only München (live for 20 weeks) keeps its eWohnsitz order: no progress in the window."""
    Order.objects.filter(service=world.municipal_service, authority__state=world.state).exclude(
        authority=world.authorities["muenchen"]
    ).delete()


@pytest.mark.django_db
def test_zero_pace_says_not_at_the_current_pace(client, world, bavaria_viewer) -> None:
    _stall_ewohnsitz(world)
    client.force_login(bavaria_viewer)
    page = client.get(reverse("reports:state_report", args=["09"])).content.decode()
    row = html.table(page, "leistungen")["eWohnsitz"]
    assert row["projection"] == "bei aktuellem Tempo nicht absehbar"
    assert row["meets_target"] == "nein"
    assert html.table(page, "leistungen")["Führerschein"]["projection"] == (
        "flächendeckend erreicht"
    )
    # The method is stated where the projection is shown.
    assert "Lineare Fortschreibung" in page and "8 Wochen" in page
    url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
    page = client.get(url).content.decode()
    shown = html.figures(page)
    assert shown["projection"] == "bei aktuellem Tempo nicht absehbar"
    assert shown["meets_target"] == "nein"
    assert "beim derzeitigen Tempo wird die Leistung nicht flächendeckend" in page
    assert "Ziel 31.12.2026 erreichbar" in page
    assert "Lineare Fortschreibung" in page


@pytest.mark.django_db
def test_projected_date_is_compared_with_the_target_date(client, world, bavaria_viewer) -> None:
    from django.utils import timezone

    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
    # 3 of 6 live, net +1 in the last 8 weeks: 3 more need 24 weeks.
    projected = timezone.localdate() + datetime.timedelta(weeks=24)
    shown = html.figures(client.get(url).content.decode())
    assert shown["projection"] == projected.strftime("%d.%m.%Y")
    assert shown["meets_target"] == ("ja" if projected <= TARGET else "nein")
    # A later target that the pace reaches.
    world.state.target_date = projected
    world.state.save(update_fields=["target_date"])
    shown = html.figures(client.get(url).content.decode())
    assert shown["meets_target"] == "ja"
    world.state.target_date = projected - datetime.timedelta(days=1)
    world.state.save(update_fields=["target_date"])
    shown = html.figures(client.get(url).content.decode())
    assert shown["meets_target"] == "nein"


@pytest.mark.django_db
def test_target_status_counts_flaechendeckend_services(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    page = client.get(reverse("reports:state_report", args=["09"])).content.decode()
    assert "1 von 5 Leistungen sind flächendeckend verfügbar (Ziel: 5 bis 31.12.2026)" in page
    assert "Ziel noch nicht erreicht." in page
    world.state.target_services = 1
    world.state.save(update_fields=["target_services"])
    page = client.get(reverse("reports:state_report", args=["09"])).content.decode()
    assert "Ziel erreicht." in page
