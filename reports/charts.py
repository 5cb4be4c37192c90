"""The coverage trend as an inline SVG line chart (server-side; the figures are also a table).

Every coordinate is a finished string (portal.numbers.svg_number): a float printed by the
template would carry the German decimal comma and the chart would collapse.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from portal.numbers import svg_number
from reports.projection import Projection, projected_share

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 36


@dataclass(frozen=True)
class ProjectionLine:
    x1: str
    y1: str
    x2: str
    y2: str
    # The line in words, for the chart's description (people who do not see it).
    text: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    line: str
    target_x: str | None
    target_y: str
    y_ticks: list[tuple[str, str]]
    x_ticks: list[tuple[str, str]]
    plot_left: int
    plot_right: int
    plot_bottom: int
    projection: ProjectionLine | None = None
    # The numbers behind the drawing, for the PDF (reportlab draws from numbers, not strings).
    points: tuple[tuple[datetime.date, Decimal], ...] = ()
    start: datetime.date | None = None
    end: datetime.date | None = None


def trend_chart(
    points: list[tuple[datetime.date, Decimal]],
    target_date: datetime.date,
    projection: Projection | None = None,
) -> TrendChart | None:
    """Share (0–100 %) over time; the target is 100 % at `target_date` (drawn when in range);
    the projection a straight line from the last point at the current pace."""
    if not points:
        return None
    start = points[0][0]
    end = max(points[-1][0], target_date)
    span = max((end - start).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(date: datetime.date) -> float:
        return LEFT + (date - start).days / span * plot_w

    def y(share: Decimal) -> float:
        return TOP + plot_h - float(share) / 100 * plot_h

    line = " ".join(f"{svg_number(x(date))},{svg_number(y(share))}" for date, share in points)
    y_ticks = [(svg_number(y(Decimal(v))), f"{v} %") for v in (0, 25, 50, 75, 100)]
    x_ticks = [(svg_number(x(day)), date_format(day, "SHORT_DATE_FORMAT")) for day in (start, end)]
    projection_line = None
    if projection is not None:
        reached = projected_share(projection, last=points[-1], until=end)
        if reached is not None:
            (day0, share0), (day1, share1) = points[-1], reached
            projection_line = ProjectionLine(
                x1=svg_number(x(day0)),
                y1=svg_number(y(share0)),
                x2=svg_number(x(day1)),
                y2=svg_number(y(share1)),
                text=projection_text(projection, reached),
            )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        line=line,
        # A target date before the first point (a later year's chart) has no vertical mark.
        target_x=svg_number(x(target_date)) if target_date >= start else None,
        target_y=svg_number(y(Decimal(100))),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=TOP + plot_h,
        projection=projection_line,
        points=tuple(points),
        start=start,
        end=end,
    )


def projection_text(projection: Projection, reached: tuple[datetime.date, Decimal]) -> str:
    day, share = reached
    when = date_format(day, "SHORT_DATE_FORMAT")
    if projection.date is not None and share >= 100:
        return _("Gepunktet: Fortschreibung beim aktuellen Tempo, 100 %% am %(date)s.") % {
            "date": when
        }
    return _(
        "Gepunktet: Fortschreibung beim aktuellen Tempo, %(share)s %% am %(date)s (Ende des "
        "Diagramms)."
    ) % {"share": number_format(share, decimal_pos=1, use_l10n=True), "date": when}
