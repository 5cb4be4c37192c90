"""Filters to render report tables: every cell through reports.tables.display."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from geo.selectors import current_gebietsstand
from reports.tables import NUMBER_KINDS, NUMBER_TYPES, Column, display, displayer

register = template.Library()


@register.filter
def cell(row: dict[str, Any], column: Column) -> str:
    return display(row.get(column.key), column.kind)


@register.filter
def cell_url(row: dict[str, Any], column: Column) -> str:
    return str(row.get(f"{column.key}_url", ""))


@register.simple_tag
def table_rows(rows: list[dict[str, Any]], columns: list[Column]) -> SafeString:
    """The <tr> of a table body or footer: the first column is the row header (a link where
    the row has `<key>_url`), the others are figures. Built here rather than by template
    loops: a district table has a thousand cells, and the template engine spent most of a
    report page's time on them. Every value is escaped; the markup around it is constant
    and built once per column."""
    first, *others = columns
    show = displayer()
    cells = [
        (c.key, c.kind, f'<td class="report-{escape(c.kind)}" data-col="{escape(c.key)}">')
        for c in others
    ]
    lines = []
    for row in rows:
        text = escape(show(row.get(first.key), first.kind))
        url = row.get(f"{first.key}_url", "")
        if url:
            header = f'<th scope="row"><a href="{escape(str(url))}">{text}</a></th>'
        else:
            header = f'<th scope="row">{text}</th>'
        figures = "".join(
            f"{opening}{_figure_html(row.get(key), kind, show)}</td>"
            for key, kind, opening in cells
        )
        lines.append(f"<tr>{header}{figures}</tr>")
    return mark_safe("\n".join(lines))


def _figure_html(value: Any, kind: str, show: Callable[[Any, str], str]) -> str:
    """A number shown as a number is digits and the language's separators: escaping it was a
    sixth of the federal table's 8,000 cells. Anything else is escaped."""
    text = show(value, kind)
    if kind in NUMBER_KINDS and type(value) in NUMBER_TYPES:
        return text
    return escape(text)


@register.simple_tag
def sort_link(column: Column, current: str) -> dict[str, str]:
    """Next sort for a header link and its aria-sort value."""
    if current == column.key:
        return {"next": f"-{column.key}", "aria": "ascending"}
    if current == f"-{column.key}":
        return {"next": column.key, "aria": "descending"}
    return {"next": column.key, "aria": ""}


@register.filter
def fmt(value: Any, kind: str) -> str:
    """A single figure formatted like the table cells (`{{ figures.live|fmt:"int" }}`)."""
    return display(value, kind)


@register.inclusion_tag("reports/_gebietsstand.html")
def gebietsstand_note() -> dict[str, Any]:
    """The territory the figures count on (issue 14: reports state their Gebietsstand)."""
    return {"gebietsstand": current_gebietsstand()}
