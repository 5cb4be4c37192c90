"""Geometry of the weekly chart, so the template only draws what is computed here."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.selectors import WeekRow

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
    points: list[tuple[float, float]]
    maximum: int
    baseline: float
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
        points.append(
            (round(x + slot / 2, 1), round(baseline - plot_height * week.live / maximum, 1))
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line_points=" ".join(f"{x},{y}" for x, y in points),
        points=points,
        maximum=maximum,
        baseline=baseline,
        top=PAD_TOP,
        left=PAD_LEFT,
    )
