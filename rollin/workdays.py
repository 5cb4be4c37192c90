"""Working-day arithmetic for stage due dates (Mon–Fri; public holidays are not modelled)."""

from __future__ import annotations

import datetime


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The moment `days` working days after `start` (same time of day)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
