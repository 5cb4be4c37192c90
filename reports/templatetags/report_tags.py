"""Filters to render report tables: every cell through reports.tables.display."""

from __future__ import annotations

from typing import Any

from django import template

from reports.tables import Column, display

register = template.Library()


@register.filter
def cell(row: dict[str, Any], column: Column) -> str:
    return display(row.get(column.key), column.kind)


@register.filter
def cell_url(row: dict[str, Any], column: Column) -> str:
    return str(row.get(f"{column.key}_url", ""))


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
