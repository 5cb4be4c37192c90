"""Numbers as machines read them: one format, whatever the reader's language.

Django localises every float a template prints ("54,2" in German), which is right for people
and wrong for an SVG coordinate, a data attribute or a file format. Values meant for machines
are formatted here, in Python, so a template prints a finished string.
"""

from __future__ import annotations

from decimal import Decimal


def svg_number(value: float | int | Decimal) -> str:
    """A coordinate for SVG: decimal point, no grouping, at most one decimal ("54.2", "190")."""
    text = f"{float(value):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def svg_points(points: list[tuple[float, float]]) -> str:
    """The `points` attribute of a polyline: "x,y x,y"."""
    return " ".join(f"{svg_number(x)},{svg_number(y)}" for x, y in points)
