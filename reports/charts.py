"""The coverage trend as an inline SVG line chart (server-side; the figures are also a table)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 36


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    line: str
    target_x: float | None
    target_y: float
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    plot_left: int
    plot_right: int
    plot_bottom: int


def trend_chart(
    points: list[tuple[datetime.date, Decimal]], target_date: datetime.date
) -> TrendChart | None:
    """Share (0–100 %) over time; the target is 100 % at `target_date` (drawn when in range)."""
    if not points:
        return None
    start = points[0][0]
    end = max(points[-1][0], target_date)
    span = max((end - start).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(date: datetime.date) -> float:
        return round(LEFT + (date - start).days / span * plot_w, 1)

    def y(share: Decimal) -> float:
        return round(TOP + plot_h - float(share) / 100 * plot_h, 1)

    line = " ".join(f"{x(date)},{y(share)}" for date, share in points)
    y_ticks = [(y(Decimal(v)), f"{v} %") for v in (0, 25, 50, 75, 100)]
    x_ticks = [(x(start), start.strftime("%d.%m.%Y")), (x(end), end.strftime("%d.%m.%Y"))]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        line=line,
        # A target date before the first point (a later year's chart) has no vertical mark.
        target_x=x(target_date) if target_date >= start else None,
        target_y=y(Decimal(100)),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=TOP + plot_h,
    )
