"""Sortable column headers of the order list: links that keep the filters in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

COLUMNS = (
    ("number", _("Bestellnummer")),
    ("authority", _("Behörde")),
    ("district", _("Kreis")),
    ("service", _("Leistung")),
    ("stage", _("Stufe")),
    ("status", _("Wer ist am Zug?")),
    ("assignee", _("Zuständig")),
    ("ordered", _("Bestellt am")),
    ("due", _("Fällig am")),
)


@dataclass
class Header:
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" (not sorted by this column)


WHITE_SPOT_COLUMNS = (
    ("name", _("Behörde")),
    ("district", _("Kreis")),
    ("population", _("Einwohner ohne Versorgung")),
    ("contact", _("Letzter Kontakt")),
)


def sort_headers(
    params: QueryDict, columns: tuple[tuple[str, Any], ...] = COLUMNS, *, default: str = ""
) -> list[Header]:
    """Headers of `columns`; `default` is the sort that applies without ?sort=."""
    current = params.get("sort", "") or default
    headers = []
    for key, label in columns:
        query = params.copy()
        query.pop("page", None)
        descending = current == f"-{key}"
        query["sort"] = key if current == f"-{key}" or current != key else f"-{key}"
        aria = "ascending" if current == key else "descending" if descending else ""
        headers.append(Header(label=str(label), url=f"?{query.urlencode()}", aria_sort=aria))
    return headers
