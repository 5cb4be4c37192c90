"""Geometry of the weekly chart, so the template only draws what is computed here."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.selectors import WeekRow
from portal.numbers import svg_number, svg_points

WIDTH = 780
HEIGHT = 220
PAD_LEFT = 40
PAD_BOTTOM = 30
PAD_TOP = 10


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    week: WeekRow
    label: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    line_points: str
    # Marker centres, ready for the SVG attributes (never localised: "54.2", not "54,2").
    points: list[tuple[str, str]]
    maximum: int
    baseline: str
    top: float
    left: int


def weekly_chart(weeks: list[WeekRow]) -> Chart:
    """Bars for orders placed, a line for orders gone live, on one shared scale."""
    maximum = max([1, *(w.placed for w in weeks), *(w.live for w in weeks)])
    plot_height = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / max(len(weeks), 1)
    baseline = HEIGHT - PAD_BOTTOM
    bars, points = [], []
    for i, week in enumerate(weeks):
        x = PAD_LEFT + i * slot
        bar_height = plot_height * week.placed / maximum
        label = week.start.strftime("%d.%m.") if i % 4 == 0 else ""
        bars.append(
            Bar(x + slot * 0.15, baseline - bar_height, slot * 0.7, bar_height, week, label)
        )
        points.append((x + slot / 2, baseline - plot_height * week.live / maximum))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line_points=svg_points(points),
        points=[(svg_number(x), svg_number(y)) for x, y in points],
        maximum=maximum,
        baseline=svg_number(baseline),
        top=PAD_TOP,
        left=PAD_LEFT,
    )
