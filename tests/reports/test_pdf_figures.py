"""Issue 12, item 9: the PDF carries each service's district map and trend chart, drawn with
reportlab's graphics from the same figures as the pages."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from reports import maps, pdf_figures, selectors
from tests.reports.test_exports import _pdf_text

pytestmark = pytest.mark.django_db


def test_map_drawing_fills_every_district_by_its_share(world) -> None:
    from reportlab.graphics.shapes import Polygon, String

    overview = selectors.state_overview(world.state)
    [pictures] = [
        p for p in pdf_figures.service_pictures(overview) if p.service == world.municipal_service
    ]
    assert pictures.areas
    drawing = pdf_figures.map_drawing(pictures.areas, pictures.map_height, 300)
    polygons = [shape for shape in drawing.contents if isinstance(shape, Polygon)]
    rings = [r for area in pictures.areas for r in pdf_figures.path_rings(area.path)]
    assert len(polygons) == len(rings) >= 3
    fills = [area.fill for area in pictures.areas for _ in pdf_figures.path_rings(area.path)]
    assert [p.fillColor.hexval()[2:] for p in polygons] == [f.lstrip("#") for f in fills]
    # Same share, same colour as the SVG map; and the legend's labels are there.
    shares = {a.ags: a.title for a in pictures.areas}
    assert all("%" in title or "keine" in title for title in shares.values())
    labels = {s.text for s in drawing.contents if isinstance(s, String)}
    assert {entry["label"] for entry in maps.legend()} <= labels


def test_trend_drawing_has_every_week_the_target_and_the_projection(world) -> None:
    from reportlab.graphics.shapes import Line, PolyLine

    overview = selectors.state_overview(world.state)
    charts = [p.chart for p in pdf_figures.service_pictures(overview) if p.chart is not None]
    assert charts
    for chart in charts:
        drawing = pdf_figures.trend_drawing(chart, 430)
        [line] = [s for s in drawing.contents if isinstance(s, PolyLine)]
        assert len(line.points) == 2 * len(chart.line.split()) == 2 * 27
        dashed = [s for s in drawing.contents if isinstance(s, Line) and s.strokeDashArray]
        # The target (one or two segments), plus the projection unless already full.
        assert len(dashed) >= (2 if chart.projection is None else 3) - 1


def test_pdf_contains_a_map_and_a_trend_page_per_service(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    pdf = client.get(reverse("reports:state_report_pdf", args=["09"])).content
    overview = selectors.state_overview(world.state)
    pages = re.findall(rb"/Type /Page\b", pdf)
    assert len(pages) >= 1 + len(overview.services)
    if os.environ.get("DM_PDF_OUT"):  # to look at it: pdftoppm -png $DM_PDF_OUT page
        with open(os.environ["DM_PDF_OUT"], "wb") as handle:
            handle.write(pdf)
    text = _pdf_text(pdf)
    # (Umlauts are escaped in the content stream, so the service names are counted.)
    assert text.count(": Karte nach Kreisen und Verlauf") == len(overview.services)
    # Filled polygons in the palette's colours (reportlab writes "r g b rg" then "f"/"B").
    areas = selectors.map_for_service(overview.coverage, world.municipal_service, link=False)
    for fill in {area.fill for area in areas or []}:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.rl_accel import fp_str

        assert f"{fp_str(*HexColor(fill).rgb())} rg" in text, fill
