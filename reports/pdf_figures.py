"""The district map and the trend chart for the PDF, drawn with reportlab's own graphics.

Both are built from the very objects the pages draw as SVG — the coloured map areas (their
path strings from the same boundary files) and the TrendChart's coordinates — so the PDF
shows the same picture as the page, without a browser. SVG's y axis points down, PDF's up:
every y is mirrored at the drawing's height.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from reports import charts, maps, selectors
from reports import coverage as cov

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from catalog.models import Service
    from reports.selectors import StateOverview

_PAIR = re.compile(r"(-?[\d.]+),(-?[\d.]+)")
TREND_COLOUR = "#0b5394"
TARGET_COLOUR = "#a4262c"


@dataclass(frozen=True)
class ServicePictures:
    service: Service
    areas: list[maps.MapArea] | None
    map_height: float
    chart: charts.TrendChart | None


def service_pictures(overview: StateOverview) -> list[ServicePictures]:
    """Per service of the report: its district map and its trend, as on the service page."""
    state = overview.state
    projected = maps.district_map(state.ags)
    events = cov.live_events(state, [status.service for status in overview.services])
    pictures = []
    for status in overview.services:
        service, figures = status.service, status.figures
        _table, points = selectors.trend_table(service, figures, events.get(service.pk, []))
        chart = charts.trend_chart(
            [(p.date, cov.percent(p.live, figures.responsible)) for p in points],
            state.target_date,
            status.projection,
        )
        pictures.append(
            ServicePictures(
                service=service,
                areas=selectors.map_for_service(overview.coverage, service, link=False),
                map_height=projected.height if projected else 0,
                chart=chart,
            )
        )
    return pictures


def path_rings(path: str) -> list[list[tuple[float, float]]]:
    """The rings of an SVG path "Mx,y x,y … Z…" as points (the map's own format)."""
    return [
        [(float(x), float(y)) for x, y in _PAIR.findall(ring)]
        for ring in re.findall(r"M([^MZ]*)Z", path)
    ]


def map_drawing(areas: list[maps.MapArea], map_height: float, width: float) -> Drawing:
    """The districts filled by coverage class, outlined, with the legend underneath."""
    from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
    from reportlab.lib.colors import HexColor

    scale = width / maps.MAP_WIDTH
    height = map_height * scale
    entries = maps.legend()
    legend_height = 12 * len(entries) + 4
    drawing = Drawing(width, height + legend_height)
    top = legend_height + height
    for area in areas:
        for ring in path_rings(area.path):
            points: list[float] = []
            for x, y in ring:
                points += [x * scale, top - y * scale]
            drawing.add(
                Polygon(
                    points,
                    fillColor=HexColor(area.fill),
                    strokeColor=HexColor(maps.OUTLINE),
                    strokeWidth=0.3,
                )
            )
    for n, entry in enumerate(entries):
        y = legend_height - 12 * (n + 1)
        # types-reportlab declare Rect's **kw without Unpack[...], so no keyword fits them.
        fill, stroke = HexColor(entry["fill"]), HexColor("#1a1a1a")
        swatch = Rect(0, y, 14, 9, fillColor=fill, strokeColor=stroke)  # type: ignore[arg-type]
        drawing.add(swatch)
        drawing.add(String(20, y + 1.5, entry["label"], fontName="Helvetica", fontSize=7))
    return drawing


def trend_drawing(chart: charts.TrendChart, width: float) -> Drawing:
    """The trend chart of the service page: grid, share line, target, projection, labels."""
    from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
    from reportlab.lib.colors import HexColor

    scale = width / chart.width
    height = chart.height * scale
    drawing = Drawing(width, height)

    def x(value: str | float) -> float:
        return float(value) * scale

    def y(value: str | float) -> float:
        return height - float(value) * scale

    grey, dark = HexColor("#ced4da"), HexColor("#212529")
    for tick_y, label in chart.y_ticks:
        drawing.add(
            Line(
                x(chart.plot_left),
                y(tick_y),
                x(chart.plot_right),
                y(tick_y),
                strokeColor=grey,
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                x(chart.plot_left) - 4,
                y(tick_y) - 2.5,
                label,
                fontName="Helvetica",
                fontSize=7,
                textAnchor="end",
                fillColor=dark,
            )
        )
    for tick_x, label in chart.x_ticks:
        drawing.add(
            String(
                x(tick_x),
                y(chart.plot_bottom) - 14,
                label,
                fontName="Helvetica",
                fontSize=7,
                textAnchor="middle",
                fillColor=dark,
            )
        )
    target: dict[str, Any] = {
        "strokeColor": HexColor(TARGET_COLOUR),
        "strokeWidth": 1.2,
        "strokeDashArray": [6, 4],
    }
    right = chart.target_x if chart.target_x is not None else chart.plot_right
    drawing.add(Line(x(chart.plot_left), y(chart.target_y), x(right), y(chart.target_y), **target))
    if chart.target_x is not None:
        drawing.add(Line(x(right), y(chart.target_y), x(right), y(chart.plot_bottom), **target))
    points: list[float] = []
    for pair in chart.line.split():
        px, py = pair.split(",")
        points += [x(px), y(py)]
    drawing.add(PolyLine(points, strokeColor=HexColor(TREND_COLOUR), strokeWidth=1.8))
    if chart.projection is not None:
        line = chart.projection
        drawing.add(
            Line(
                x(line.x1),
                y(line.y1),
                x(line.x2),
                y(line.y2),
                strokeColor=HexColor(TREND_COLOUR),
                strokeWidth=1.2,
                strokeDashArray=[1.5, 3],
            )
        )
    return drawing


def caption(chart: charts.TrendChart) -> str:
    text = _("Durchgezogen: Anteil der zuständigen Behörden live; gestrichelt: Ziel (100 %).")
    if chart.projection is not None:
        text += " " + chart.projection.text
    return text
