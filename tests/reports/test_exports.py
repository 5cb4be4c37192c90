"""The files themselves: German CSV, a real XLSX workbook and a PDF with pages and figures.

(That each exported figure equals the independent count is in test_every_figure.)
"""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.reports.expected import expected

pytestmark = pytest.mark.django_db

GERMAN_HEADER = [
    "Leistung",
    "Ebene",
    "Zuständige Behörden",
    "Behörden live",
    "Anteil Behörden live",
    "Einwohner im Zuständigkeitsbereich",
    "Einwohner versorgt",
    "Anteil Bevölkerung versorgt",
    "Flächendeckend",
    "Bestellt",
    "In Einführung",
    "Flächendeckend voraussichtlich",
    "Ziel erreichbar",
]


def test_csv_is_german(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    response = client.get(reverse("reports:state_report", args=["09"]) + "?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="versorgung-09-leistungen.csv"'
    )
    assert response.content.startswith("\ufeff".encode())  # spreadsheet programs see UTF-8
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == GERMAN_HEADER
    ew = dict(zip(rows[0], next(r for r in rows if r[0] == "eWohnsitz"), strict=True))
    exp = expected(world.state, world.municipal_service)
    assert ew["Ebene"] == "Gemeindeebene"
    assert ew["Anteil Behörden live"] == str(exp["share_live"]).replace(".", ",")  # "50,0"
    assert ew["Flächendeckend"] == "nein"
    assert ew["Einwohner im Zuständigkeitsbereich"] == str(exp["population"])  # no grouping


def test_xlsx_is_a_workbook_with_numbers(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", "ewohnsitz"]) + "?format=xlsx&table=kreise"
    response = client.get(url)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="versorgung-09-ewohnsitz-kreise.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    assert sheet.title == "kreise"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Kreis", "Schlüssel", "Regierungsbezirk"]
    assert all(cell.font.bold for cell in sheet[1])
    kelheim = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "09273")
    exp = expected(world.state, world.municipal_service, district_ags="09273")
    assert kelheim[header.index("Behörden live")] == exp["live"]
    assert isinstance(kelheim[header.index("Anteil Bevölkerung versorgt")], float)
    assert "Destatis" in str(sheet.cell(row=sheet.max_row, column=1).value)


def _pdf_text(pdf: bytes) -> str:
    """The page content streams, decoded (reportlab writes them ASCII85 + Flate)."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = zlib.decompress(base64.a85decode(data[:-2]))
        text.append(data.decode("latin-1"))
    return "\n".join(text)


def test_pdf_for_the_minister_has_pages_and_the_figures(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    response = client.get(reverse("reports:state_report_pdf", args=["09"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="versorgung-09.pdf"' in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = re.findall(rb"/Type /Page\b", pdf)
    assert len(pages) >= 1
    assert re.search(rb"/Count %d\b" % len(pages), pdf)
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in pdf  # A4 landscape
    text = _pdf_text(pdf)
    assert "Versorgungsbericht Bayern" in text
    assert "eWohnsitz" in text
    exp = expected(world.state, world.municipal_service)
    assert f"{exp['share_live']} %".replace(".", ",") in text
    assert "Ziel: 5 Leistungen fl" in text and "31.12.2026" in text
    assert "Seite 1" in text


def test_unknown_export_is_a_404_and_changes_nothing(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", "ewohnsitz"])
    assert client.get(url + "?format=ods").status_code == 404
    assert client.get(url + "?format=csv&table=behoerden").status_code == 404
    assert client.get(reverse("reports:public_summary") + "?format=exe").status_code == 404


def test_xlsx_carries_real_dates_and_percentages(client, world, bavaria_viewer) -> None:
    """Issue 12, item 2: dates were text and shares plain numbers (50.0 instead of 50 %)."""
    import datetime

    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", "ewohnsitz"])
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx&table=verlauf").content))
    active = sheet.active
    assert isinstance(active, Worksheet)
    rows = list(active.iter_rows(min_row=2, max_row=28))
    header = [cell.value for cell in active[1]]
    date_col, share_col = header.index("Stichtag"), header.index("Anteil Behörden live")
    live_col = header.index("Behörden live")
    assert all(isinstance(row[date_col].value, datetime.datetime) for row in rows)
    assert {row[date_col].number_format for row in rows} == {"mm-dd-yy"}  # the reader's locale
    assert {row[share_col].number_format for row in rows} == {"0.0%"}
    assert rows[-1][share_col].value == 0.5  # 3 of 6 live today: 50,0 %
    assert {row[live_col].number_format for row in rows} == {"#,##0"}


def test_csv_and_xlsx_figures_do_not_depend_on_the_language(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    url = reverse("reports:service_report", args=["09", "ewohnsitz"]) + "?table=verlauf&format="
    files = {
        lang: {
            fmt: client.get(url + fmt, headers={"accept-language": lang}).content
            for fmt in ("csv", "xlsx")
        }
        for lang in ("de", "en")
    }
    csv_rows = {
        lang: list(csv.reader(io.StringIO(f["csv"].decode("utf-8-sig")), delimiter=";"))
        for lang, f in files.items()
    }
    assert csv_rows["de"][0] != csv_rows["en"][0]  # the headings are translated …
    assert csv_rows["de"][1:] == csv_rows["en"][1:]  # … the figures are not
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", csv_rows["en"][1][0])
    sheets = {
        lang: list(
            load_workbook(io.BytesIO(f["xlsx"])).active.iter_rows(min_row=2, values_only=True)
        )
        for lang, f in files.items()
    }
    assert sheets["de"] == sheets["en"]
