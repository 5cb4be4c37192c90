"""Cells that a spreadsheet program opens without running anything (CSV and XLSX alike).

A text typed by staff (a contact name, an authority's name) that begins with a character a
spreadsheet reads as the start of a formula — `=`, `+`, `-`, `@`, tab, carriage return
(OWASP, "CSV Injection") — gets a leading apostrophe, so Excel and LibreOffice show it as
the text it is. Every export writes each cell through `safe_cell` (CSV) or `safe_xlsx_cell`
(XLSX).

Numbers the code writes (int, float, Decimal; also the CSV's "50,0" formatted from a float
after this check) are never changed: a share of -5 stays a number. A *text* "-5" typed by
someone is still text and is neutralised like any other — the export cannot know it was
meant harmlessly, and "'-5" is how a spreadsheet user would type text that looks like a
number anyway.
"""

from __future__ import annotations

import re
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters XLSX (XML 1.0) cannot hold; openpyxl raises on them, so a stray control
# character in a name would otherwise break the whole export.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """`value` unchanged unless it is a text a spreadsheet would evaluate; then "'" + text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_xlsx_cell(value: T) -> T | str:
    """As `safe_cell`, after removing characters an XLSX file cannot contain.

    openpyxl stores any string beginning with "=" as a formula; after `safe_cell` no string
    does, so every text arrives as a text cell.
    """
    if isinstance(value, str):
        return safe_cell(_XML_ILLEGAL.sub("", value))
    return value
