"""A report table: the one shape that pages, CSV, XLSX and PDF all render, so figures agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    # text | int | pct | bool
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
        if not key:
            return ""
        name = key.lstrip("-")
        if name not in {column.key for column in self.columns}:
            return ""
        self.rows.sort(key=lambda row: _sort_key(row.get(name)), reverse=key.startswith("-"))
        return key


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, (bool, int, Decimal, float)):
        return (1, value)
    return (2, str(value).casefold())


def display(value: Any, kind: str) -> str:
    """The value as people read it in the page and the PDF (German number format)."""
    if value is None:
        return "–"
    if kind == "bool":
        return str(_("ja")) if value else str(_("nein"))
    if kind == "pct":
        return f"{number_format(value, decimal_pos=1, use_l10n=True)} %"
    if kind == "int":
        return number_format(value, force_grouping=True, use_l10n=True)
    return str(value)


def plain(value: Any, kind: str) -> Any:
    """The value for CSV/XLSX: numbers stay numbers, booleans become ja/nein."""
    if value is None:
        return ""
    if kind == "bool":
        return "ja" if value else "nein"
    if kind == "pct":
        return float(value)
    if kind == "int":
        return int(value)
    return str(value)
