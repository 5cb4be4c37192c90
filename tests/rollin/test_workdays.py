"""Due dates count working days: no weekends, no public holidays of the authority's state."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from rollin.workdays import add_working_days

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=BERLIN)


def test_weekends_are_skipped() -> None:
    friday = at(datetime.date(2026, 11, 27))
    assert add_working_days(friday, 1, "09").date() == datetime.date(2026, 11, 30)


def test_christmas_and_new_year_are_skipped_everywhere() -> None:
    # 25 and 26 December are holidays (a Friday and a Saturday), the 27th a Sunday.
    christmas_eve = at(datetime.date(2026, 12, 24))
    assert add_working_days(christmas_eve, 1, "06").date() == datetime.date(2026, 12, 28)
    new_years_eve = at(datetime.date(2026, 12, 31))
    assert add_working_days(new_years_eve, 1, "06").date() == datetime.date(2027, 1, 4)


@pytest.mark.parametrize(
    ("state_ags", "next_working_day"),
    [("09", datetime.date(2027, 1, 7)), ("06", datetime.date(2027, 1, 6))],
)
def test_epiphany_counts_only_where_it_is_a_holiday(
    state_ags: str, next_working_day: datetime.date
) -> None:
    # 6 January is a public holiday in Bavaria, not in Hesse.
    tuesday = at(datetime.date(2027, 1, 5))
    assert add_working_days(tuesday, 1, state_ags).date() == next_working_day


def test_time_of_day_is_kept() -> None:
    start = at(datetime.date(2026, 12, 1))
    assert add_working_days(start, 3, "09") == at(datetime.date(2026, 12, 4))
