"""A report table: the one shape that pages, CSV, XLSX and PDF all render, so figures agree."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    # text | int | pct | bool | date
    kind: str = "text"


@dataclass
class Table:
    slug: str
    caption: Any
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Rows under the body (e.g. the state total), rendered in <tfoot>.
    footer: list[dict[str, Any]] = field(default_factory=list)

    def sort(self, key: str | None) -> str:
        """Sort rows by `key` (prefix "-" for descending); returns the sort that applied."""
        key = valid_sort(key, [column.key for column in self.columns])
        if not key:
            return ""
        name = key.removeprefix("-")
        self.rows.sort(key=lambda row: _sort_key(row.get(name)), reverse=key.startswith("-"))
        return key


def valid_sort(key: str | None, keys: list[str]) -> str:
    """`key` if it sorts by one of `keys` (optionally descending, one "-"), else "": only
    known sorts reach a table or a cache key."""
    return key if key and key.removeprefix("-") in keys else ""


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, (bool, int, Decimal, float, datetime.date)):
        return (1, value)
    return (2, str(value).casefold())


# Kinds whose values, when of these types, display as digits and separators only.
NUMBER_KINDS = frozenset({"int", "pct"})
NUMBER_TYPES = frozenset({int, float, Decimal})


def display(value: Any, kind: str) -> str:
    """The value as people read it in the page and the PDF (German number format)."""
    return displayer()(value, kind)


def displayer() -> Callable[[Any, str], str]:
    """display() with the active language's separators and words looked up once: a federal
    table has 8,000 cells, and looking them up per cell was half of its page's time. Kept per
    language: a page's single figures (the `fmt` filter, a tenth of the overview's pace block)
    each asked for a new one."""
    return _displayer_for(get_language() or "de")


@lru_cache(maxsize=8)
def _displayer_for(language: str) -> Callable[[Any, str], str]:
    separators = _separators(language)
    with override(language):
        yes, no = str(_("ja")), str(_("nein"))  # 1,600 of the federal table's cells

    def show(value: Any, kind: str) -> str:
        if value is None:
            return "–"
        if kind == "bool":
            return yes if value else no
        if kind == "pct":
            return f"{_one_decimal(value, separators)} %"
        if kind == "int":
            return _grouped(value, separators)
        if kind == "date":
            return date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    return show


# A report page formats about a thousand figures; number_format looks up the locale's
# separators for each of them, which cost a district table ten milliseconds. The common
# cases (ints, shares already rounded to one decimal) use the separators looked up once per
# table, with the same result; anything else goes through number_format.


@lru_cache(maxsize=8)
def _separators(language: str) -> tuple[str, str]:
    """(decimal, thousand) separators of `language`."""
    return (
        str(get_format("DECIMAL_SEPARATOR", language, use_l10n=True)),
        str(get_format("THOUSAND_SEPARATOR", language, use_l10n=True)),
    )


def _grouped(value: Any, separators: tuple[str, str]) -> str:
    if type(value) is not int:
        return number_format(value, force_grouping=True, use_l10n=True)
    return f"{value:,}".replace(",", separators[1])


def _one_decimal(value: Any, separators: tuple[str, str]) -> str:
    exact = isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent == -1
    if not exact:
        return number_format(value, decimal_pos=1, use_l10n=True)
    return str(value).replace(".", separators[0])


def plain(value: Any, kind: str) -> Any:
    """The value for CSV/XLSX: numbers stay numbers, dates dates, booleans become ja/nein."""
    if value is None:
        return ""
    if kind == "bool":
        return "ja" if value else "nein"
    if kind == "pct":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "date":
        return value
    return str(value)
