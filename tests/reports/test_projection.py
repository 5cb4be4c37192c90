"""Projection of the date of full coverage: pure function, no database."""

from __future__ import annotations

import datetime

from reports.projection import method_text, project_full_coverage

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
