"""Read the figures back out of a report page's HTML, the way a person reads them."""

from __future__ import annotations

import html as html_lib
import re


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def table(page: str, slug: str) -> dict[str, dict[str, str]]:
    """Rows of the table `data-table=slug`, keyed by the row header, body and footer alike.

    Each row maps data-col → cell text, plus "_url" for a linked row header.
    """
    match = re.search(rf'data-table="{slug}">(.*?)</table>', page, flags=re.S)
    assert match, f"no table {slug!r}"
    rows: dict[str, dict[str, str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), flags=re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, flags=re.S)
        if header is None:
            continue
        cells = {
            key: _text(value)
            for key, value in re.findall(r'data-col="([^"]+)">(.*?)</td>', row, flags=re.S)
        }
        link = re.search(r'href="([^"]+)"', header.group(1))
        cells["_url"] = html_lib.unescape(link.group(1)) if link else ""
        name = _text(header.group(1))
        assert name not in rows, f"two rows {name!r} in {slug}"
        rows[name] = cells
    return rows


def table_order(page: str, slug: str, column: str) -> list[str]:
    body = page.split(f'data-table="{slug}"')[1].split("</tbody>")[0]
    return [_text(v) for v in re.findall(rf'data-col="{column}">(.*?)</td>', body, flags=re.S)]


def figures(page: str) -> dict[str, str]:
    """The `data-figure` values of a page (the service report's totals)."""
    return {
        key: _text(value)
        for key, value in re.findall(r'data-figure="([^"]+)">(.*?)</(?:span|dd)>', page, flags=re.S)
    }


def map_titles(page: str, map_class: str = "report-map-svg") -> dict[str, str]:
    """AGS → the accessible title of each area of the (first) map on the page."""
    svg = page.split(f'<svg class="{map_class}"')[1].split("</svg>")[0]
    return {
        ags: html_lib.unescape(title)
        for ags, title in re.findall(r'data-ags="(\d+)"[^>]*><title>(.*?)</title>', svg, flags=re.S)
    }


def map_links(page: str) -> dict[str, str]:
    svg = page.split('<svg class="report-map-svg"')[1].split("</svg>")[0]
    return {
        ags: href
        for href, ags in re.findall(r'<a href="([^"]+)"[^>]*><path [^>]*data-ags="(\d+)"', svg)
    }
