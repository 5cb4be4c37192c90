"""The coordinator overview's matrix, built in Python like the report tables."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from dashboard.selectors import Overview

register = template.Library()


@register.simple_tag
def matrix_rows(overview: Overview, list_url: str) -> SafeString:
    """The body rows of services × stages, each count a link to its filtered list. Built here
    rather than by template loops: 50 services × 8 stages are 400 linked cells, and the
    template engine spent more on them than the overview's queries (see report_tags). Every
    value is escaped; the markup around it is constant."""
    codes = [escape(stage.code) for stage in overview.stages]
    lines = []
    for service, counts, total in overview.rows:
        slug = escape(service.slug)
        link = f"{escape(list_url)}?service={service.pk}"
        cells = "".join(
            f'<td class="kern-table__cell" data-cell="{slug}:{code}">'
            + (f'<a class="kern-link" href="{link}&amp;stage={code}">{count}</a>' if count else "0")
            + "</td>"
            for code, count in zip(codes, counts, strict=True)
        )
        lines.append(
            f'<tr>\n        <th class="kern-table__header" scope="row"><a class="kern-link" '
            f'href="{link}">{escape(str(service.display_name))}</a></th>\n        {cells}\n'
            f'        <td class="kern-table__cell">{total}</td>\n      </tr>'
        )
    return mark_safe("\n".join(lines))
