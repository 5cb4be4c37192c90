"""Working-day arithmetic for stage due dates: Monday to Friday without the state's public
holidays (the `holidays` package; the state is named by its AGS prefix)."""

from __future__ import annotations

import datetime
import functools

import holidays
from django.utils import timezone

# AGS prefix of a Land → its subdivision code in `holidays`.
SUBDIVISION_BY_AGS = {
    "01": "SH",
    "02": "HH",
    "03": "NI",
    "04": "HB",
    "05": "NW",
    "06": "HE",
    "07": "RP",
    "08": "BW",
    "09": "BY",
    "10": "SL",
    "11": "BE",
    "12": "BB",
    "13": "MV",
    "14": "SN",
    "15": "ST",
    "16": "TH",
}


@functools.cache
def _public_holidays(state_ags: str) -> holidays.HolidayBase:
    """Holidays of the Land (nationwide ones only for an unknown prefix); years fill lazily."""
    return holidays.country_holidays("DE", subdiv=SUBDIVISION_BY_AGS.get(state_ags))


def is_working_day(day: datetime.date, state_ags: str = "") -> bool:
    return day.weekday() < 5 and day not in _public_holidays(state_ags)


def add_working_days(start: datetime.datetime, days: int, state_ags: str = "") -> datetime.datetime:
    """The moment `days` working days after `start` (same time of day).

    Whether a day is a holiday is decided by its local (German) date, not the UTC one.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        local = timezone.localtime(current) if timezone.is_aware(current) else current
        if is_working_day(local.date(), state_ags):
            remaining -= 1
    return current
