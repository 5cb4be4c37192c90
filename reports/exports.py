"""CSV, XLSX and PDF of report tables. The same Table objects as the pages: figures agree."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.selectors import current_gebietsstand
from portal.spreadsheet import safe_cell, safe_xlsx_cell
from reports.tables import Table, display, plain

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from reports.selectors import StateOverview

ATTRIBUTION = (
    "Gebietsdaten: © Statistisches Bundesamt (Destatis), 2025, Gemeindeverzeichnis GV-ISys "
    "(Gebietsstand 31.12.2024); © GeoBasis-DE / BKG 2021 (Daten verändert); "
    "Datenlizenz Deutschland – Namensnennung – Version 2.0"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(table: Table) -> list[list[object]]:
    rows: list[list[object]] = [[str(column.label) for column in table.columns]]
    for row in [*table.rows, *table.footer]:
        rows.append([plain(row.get(column.key), column.kind) for column in table.columns])
    return rows


def csv_value(value: object) -> object:
    """German spreadsheet convention, as in the coordinators' CSV: decimal comma (and ';').

    The same in every language: a file's format must not depend on who downloaded it. Texts
    are neutralised before a float becomes "50,0", so numbers are never touched."""
    value = safe_cell(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return value


def table_csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    # A BOM lets spreadsheet programs detect UTF-8 (umlauts in names).
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows([[csv_value(value) for value in row] for row in _rows(table)])
    return response


# Spreadsheet formats, so the reader's program shows each figure in the reader's language:
# "mm-dd-yy" is Excel's built-in format 14, the short date of the system's locale.
XLSX_FORMATS = {"int": "#,##0", "pct": "0.0%", "date": "mm-dd-yy"}


def _xlsx_value(value: object, kind: str) -> object:
    """A share as the fraction a percentage format expects (50.0 → 0.5), exact to 0.1 %."""
    if kind == "pct" and isinstance(value, float):
        return float(Decimal(str(value)) / 100)
    return safe_xlsx_cell(value)


def table_xlsx(table: Table, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # a new workbook (not write-only) has one sheet
    sheet.title = table.slug[:31]
    header, *rows = _rows(table)
    sheet.append([safe_xlsx_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    kinds = [column.kind for column in table.columns]
    for row in rows:
        sheet.append([_xlsx_value(value, kind) for value, kind in zip(row, kinds, strict=True)])
        for cell, kind in zip(sheet[sheet.max_row], kinds, strict=True):
            if kind in XLSX_FORMATS and cell.value != "":
                cell.number_format = XLSX_FORMATS[kind]
    sheet.append([])
    sheet.append([ATTRIBUTION])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse | None:
    """The export for `?format=csv|xlsx`, or None for the HTML page."""
    if fmt == "csv":
        return table_csv(table, filename)
    if fmt == "xlsx":
        return table_xlsx(table, filename)
    return None


def _service_figures(overview: StateOverview, styles: Any, small: Any) -> list[Any]:
    """Per service, on its own page: the district map beside the trend chart, as drawings."""
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph
    from reportlab.platypus import Table as PdfTable

    from reports import pdf_figures

    story: list[Any] = []
    for pictures in pdf_figures.service_pictures(overview):
        cells: list[Any] = []
        if pictures.areas:
            cells.append(pdf_figures.map_drawing(pictures.areas, pictures.map_height, 300))
        if pictures.chart is not None:
            cells.append(pdf_figures.trend_drawing(pictures.chart, 430))
        if not cells:
            continue
        name = pictures.service.display_name
        parts = [
            Paragraph(
                _("%(service)s: Karte nach Kreisen und Verlauf") % {"service": name},
                styles["Heading2"],
            ),
            PdfTable([cells], style=[("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ]
        if pictures.areas:
            parts.append(Paragraph(_("Karte: Anteil der versorgten Bevölkerung je Kreis."), small))
        if pictures.chart is not None:
            parts.append(Paragraph(pdf_figures.caption(pictures.chart), small))
        story += [PageBreak(), KeepTogether(parts)]
    return story


def overview_pdf(overview: StateOverview) -> bytes:
    """A landscape A4 page for a minister: title, date, target status, the table, sources."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    buffer = io.BytesIO()
    state = overview.state
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=_("Versorgungsbericht %(state)s") % {"state": state.name},
        author="DigitalMarkt",
        lang="de-DE",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    stand = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    target = _(
        "Ziel: %(target)s Leistungen flächendeckend bis %(date)s. "
        "Stand: %(full)s von %(target)s erreicht."
    ) % {
        "target": state.target_services,
        "date": state.target_date.strftime("%d.%m.%Y"),
        "full": overview.full_count,
    }
    table = overview.table
    data = [[Paragraph(str(column.label), small) for column in table.columns]]
    for row in table.rows:
        data.append([Paragraph(display(row.get(c.key), c.kind), small) for c in table.columns])
    pdf_table = PdfTable(data, repeatRows=1)
    pdf_table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    from reports.projection import method_text

    story = [
        Paragraph(_("Versorgungsbericht %(state)s") % {"state": state.name}, styles["Title"]),
        Paragraph(_("Stand: %(date)s") % {"date": stand}, styles["BodyText"]),
        *_gebietsstand_paragraphs(styles["BodyText"]),
        Paragraph(target, styles["Heading3"]),
        Spacer(1, 0.3 * cm),
        pdf_table,
        Spacer(1, 0.3 * cm),
        Paragraph(method_text(overview.window_weeks), small),
        Paragraph(ATTRIBUTION, small),
        *_service_figures(overview, styles, small),
    ]
    footer = _("Versorgungsbericht %(state)s, Stand %(date)s – Seite") % {
        "state": state.name,
        "date": stand,
    }

    def number_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawRightString(doc.pagesize[0] - 1.5 * cm, 0.8 * cm, f"{footer} {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return buffer.getvalue()


def _gebietsstand_paragraphs(style: Any) -> list[Any]:
    """The territory the report counts on (issue 14), where an import recorded it."""
    from reportlab.platypus import Paragraph

    gebietsstand = current_gebietsstand()
    if gebietsstand is None:
        return []
    text = _("Gebietsstand der Gemeinden: %(date)s (Destatis).") % {
        "date": gebietsstand.strftime("%d.%m.%Y")
    }
    return [Paragraph(text, style)]
