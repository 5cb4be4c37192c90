"""When will a service be flächendeckend? Pure functions, no database.

Method (shown on the page): linear extrapolation of the net number of authorities that went
live in the last `window_weeks` weeks. If that number is zero or negative the date is not
foreseeable at the current pace.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

DEFAULT_WINDOW_WEEKS = 8


@dataclass(frozen=True)
class Projection:
    is_full: bool
    # Authorities per week over the window; 0 when none went live.
    pace_per_week: float
    # None when already full or not foreseeable.
    date: datetime.date | None
    target_date: datetime.date

    @property
    def is_foreseeable(self) -> bool:
        return self.is_full or self.date is not None

    @property
    def meets_target(self) -> bool:
        if self.is_full:
            return True
        return self.date is not None and self.date <= self.target_date

    @property
    def label(self) -> str:
        if self.is_full:
            return str(_("flächendeckend erreicht"))
        if self.date is None:
            return str(_("bei aktuellem Tempo nicht absehbar"))
        # In the reader's language, as every other date of the page (English: 05/04/2040).
        return formats.date_format(self.date, "SHORT_DATE_FORMAT")


def project_full_coverage(
    *,
    responsible: int,
    live: int,
    live_window_start: int,
    window_weeks: int,
    today: datetime.date,
    target_date: datetime.date,
) -> Projection:
    """Projected date on which `live` reaches `responsible` at the pace of the window."""
    is_full = responsible > 0 and live >= responsible
    gained = live - live_window_start
    pace = gained / window_weeks if window_weeks > 0 and gained > 0 else 0.0
    if is_full or pace <= 0:
        return Projection(is_full=is_full, pace_per_week=pace, date=None, target_date=target_date)
    weeks_needed = (responsible - live) / pace
    date = today + datetime.timedelta(days=math.ceil(weeks_needed * 7))
    return Projection(is_full=False, pace_per_week=pace, date=date, target_date=target_date)


def method_text(window_weeks: int) -> str:
    return str(
        _(
            "Lineare Fortschreibung: Nettozahl der in den letzten %(weeks)s Wochen live "
            "gegangenen Behörden, gleichmäßig fortgeschrieben bis alle zuständigen Behörden "
            "live sind."
        )
        % {"weeks": window_weeks}
    )


def projected_share(
    projection: Projection, *, last: tuple[datetime.date, Decimal], until: datetime.date
) -> tuple[datetime.date, Decimal] | None:
    """Where the current pace leads from the last actual point, drawn up to `until`.

    Full coverage on the projected date when that lies within `until`; otherwise the share
    reached at `until` on the straight line towards it; at zero pace the share stays. None
    when already full or `until` is not after the last point (nothing left to draw).
    """
    day, share = last
    if projection.is_full or until <= day:
        return None
    if projection.date is None:
        return until, share
    if projection.date <= until:
        return projection.date, Decimal(100)
    progress = Decimal((until - day).days) / Decimal(max((projection.date - day).days, 1))
    return until, (share + (Decimal(100) - share) * progress).quantize(Decimal("0.1"))
