"""The shared cell guard of every CSV and XLSX export, over arbitrary texts and numbers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from portal.spreadsheet import FORMULA_STARTS, safe_cell, safe_xlsx_cell

numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@given(st.text())
def test_no_text_leaves_starting_with_a_formula_character(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    # Nothing else changes: the reader sees exactly what was typed, after the apostrophe.
    assert cell == ("'" + text if text.startswith(FORMULA_STARTS) else text)


@given(st.text())
def test_no_xlsx_text_starts_with_a_formula_character(text: str) -> None:
    cell = safe_xlsx_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert all(ch in "\t\n\r" or ord(ch) >= 0x20 for ch in cell)


@given(numbers)
def test_numbers_are_never_changed(number: int | float | Decimal) -> None:
    assert safe_cell(number) is number
    assert safe_xlsx_cell(number) is number


def test_a_negative_number_typed_as_text_is_text() -> None:
    assert safe_cell("-5") == "'-5"
    assert safe_cell(-5) == -5
    assert safe_cell("Erika Mustermann") == "Erika Mustermann"
    assert safe_cell("") == ""
    assert safe_cell(None) is None
