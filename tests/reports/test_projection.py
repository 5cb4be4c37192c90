"""Projection of the date of full coverage: the pure function, then as the pages show it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from orders.models import Order
from reports.projection import method_text, project_full_coverage
from rollin.figures import figures_rebuild
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
    with translation.override("en"):  # the reader's date format, as the rest of the page
        assert projection.label == "17/02/2027"


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
    figures_rebuild()  # rows deleted by hand are followed by the rebuild


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


def test_projection_line_ends_at_full_coverage_within_the_chart() -> None:
    import datetime
    from decimal import Decimal

    from reports.projection import Projection, projected_share

    today = datetime.date(2026, 6, 1)
    soon = Projection(
        is_full=False, pace_per_week=1.0, date=datetime.date(2026, 9, 1), target_date=today
    )
    end = datetime.date(2026, 12, 31)
    assert projected_share(soon, last=(today, Decimal(50)), until=end) == (soon.date, Decimal(100))
    # Beyond the chart's end: the share reached at the edge on the straight line.
    late = Projection(
        is_full=False, pace_per_week=1.0, date=datetime.date(2027, 6, 1), target_date=today
    )
    projected = projected_share(late, last=(today, Decimal(50)), until=end)
    assert projected is not None
    day, share = projected
    assert day == end and Decimal(50) < share < Decimal(100)
    assert share == (50 + 50 * Decimal(213) / Decimal(365)).quantize(Decimal("0.1"))
    # No pace: the share stays; already full: nothing to draw.
    stalled = Projection(is_full=False, pace_per_week=0.0, date=None, target_date=today)
    assert projected_share(stalled, last=(today, Decimal(50)), until=end) == (end, Decimal(50))
    full = Projection(is_full=True, pace_per_week=0.0, date=None, target_date=today)
    assert projected_share(full, last=(today, Decimal(100)), until=end) is None


def test_trend_chart_draws_the_projection_with_its_words() -> None:
    import datetime
    from decimal import Decimal

    from django.utils import translation

    from reports import charts
    from reports.projection import Projection

    start = datetime.date(2026, 1, 5)
    last = datetime.date(2026, 6, 1)
    projection = Projection(
        is_full=False,
        pace_per_week=2.0,
        date=datetime.date(2026, 10, 1),
        target_date=datetime.date(2026, 12, 31),
    )
    with translation.override("de"):
        chart = charts.trend_chart(
            [(start, Decimal(10)), (last, Decimal("42.5"))], projection.target_date, projection
        )
    assert chart is not None and chart.projection is not None
    line = chart.projection
    assert (line.x1, line.y1) == tuple(chart.line.split()[-1].split(","))
    assert line.y2 == chart.target_y  # 100 % …
    assert line.x1 is not None and line.x2 is not None and chart.target_x is not None
    assert float(line.x1) < float(line.x2) < float(chart.target_x)  # … before the target date
    assert "01.10.2026" in line.text and "100 %" in line.text
