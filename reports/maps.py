"""Choropleth maps of a state's districts as inline SVG, rendered on the server.

The GeoJSON is parsed and projected once per process (lru_cache): a request only colours
ready-made path strings. Projection: equirectangular with the x axis scaled by cos(mean
latitude), which is accurate enough for a state-sized map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MAP_WIDTH = 600.0

# ColorBrewer YlGnBu, 5 classes, colour-blind safe. The darkest class is kept light enough
# (relative luminance > 0.1) that the near-black outline has at least 3:1 contrast with
# every fill (WCAG 1.4.11).
PALETTE = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8"]
NO_DATA_FILL = "#ffffff"
OUTLINE = "#1a1a1a"
CLASS_BOUNDS = [Decimal(20), Decimal(40), Decimal(60), Decimal(80)]


@dataclass(frozen=True)
class Shape:
    ags: str
    name: str
    path: str


@dataclass(frozen=True)
class ProjectedMap:
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _project(features: list[dict[str, Any]], key: str) -> ProjectedMap:
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return ProjectedMap(width=MAP_WIDTH, height=MAP_WIDTH, shapes=())
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    cos_lat = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = MAP_WIDTH / max((max_lon - min_lon) * cos_lat, 1e-9)
    height = round((max_lat - min_lat) * scale, 1)
    shapes = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            coords = " ".join(
                f"{(lon - min_lon) * cos_lat * scale:.1f},{(max_lat - lat) * scale:.1f}"
                for lon, lat in ring
            )
            parts.append(f"M{coords}Z")
        properties = feature["properties"]
        shapes.append(Shape(ags=properties[key], name=properties["name"], path="".join(parts)))
    shapes.sort(key=lambda shape: shape.ags)
    return ProjectedMap(width=MAP_WIDTH, height=height, shapes=tuple(shapes))


def _data_file(name: str) -> Path:
    return Path(settings.DIGITALMARKT_DATA_DIR) / name


@lru_cache(maxsize=32)
def district_map(state_ags: str) -> ProjectedMap | None:
    """The state's districts, projected; None when the boundary files are not installed."""
    bavaria = _data_file("bavaria_districts.geojson")
    germany = _data_file("germany_districts.geojson")
    path = bavaria if state_ags == "09" and bavaria.exists() else germany
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    features = [f for f in features if str(f["properties"]["ags"]).startswith(state_ags)]
    return _project(features, "ags")


@lru_cache(maxsize=8)
def municipality_map(district_ags: str) -> ProjectedMap | None:
    """A Bavarian district's municipalities, projected (only Bavaria has this file)."""
    path = _data_file("bavaria_municipalities.geojson")
    if not district_ags.startswith("09") or not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    features = [f for f in features if f["properties"].get("district_ags") == district_ags]
    return _project(features, "ags")


def class_index(share: Decimal) -> int:
    return sum(1 for bound in CLASS_BOUNDS if share >= bound)


def legend() -> list[dict[str, str]]:
    labels = ["0 – < 20 %", "20 – < 40 %", "40 – < 60 %", "60 – < 80 %", "80 – 100 %"]
    entries = [
        {"fill": fill, "label": label, "class": f"map-class-{n}"}
        for n, (fill, label) in enumerate(zip(PALETTE, labels, strict=True))
    ]
    entries.append(
        {"fill": NO_DATA_FILL, "label": str(_("keine zuständige Behörde")), "class": "map-nodata"}
    )
    return entries


@dataclass(frozen=True)
class MapArea:
    ags: str
    name: str
    path: str
    fill: str
    title: str
    url: str


def colour(
    projected: ProjectedMap,
    shares: dict[str, Decimal | None],
    names: dict[str, str],
    urls: dict[str, str],
) -> list[MapArea]:
    """Each shape with its fill and an accessible title "name: 87,0 %"."""
    areas = []
    for shape in projected.shapes:
        share = shares.get(shape.ags)
        name = names.get(shape.ags, shape.name)
        if share is None:
            fill = NO_DATA_FILL
            title = f"{name}: {_('keine zuständige Behörde')}"
        else:
            fill = PALETTE[class_index(share)]
            title = f"{name}: {number_format(share, decimal_pos=1, use_l10n=True)} %"
        areas.append(
            MapArea(
                ags=shape.ags,
                name=name,
                path=shape.path,
                fill=fill,
                title=title,
                url=urls.get(shape.ags, ""),
            )
        )
    return areas


# Status of the authority responsible for a municipality (municipality map of one district).
# Ordered from done to not started; distinguishable without colour vision through the legend
# order and the title of each area, and all light enough for the dark outline.
STATUS_FILLS = {
    "live": "#2c7fb8",
    "in_progress": "#a1dab4",
    "on_hold": "#fed98e",
    "not_ordered": "#ffffff",
    "not_responsible": "#d9d9d9",
    # A boundary without a municipality in the database (e.g. not imported yet).
    "no_data": "#f0f0f0",
}


def status_legend(labels: dict[str, str], areas: list[MapArea]) -> list[dict[str, str]]:
    """Every status, and "no data" only when some area has none."""
    used = {area.fill for area in areas}
    return [
        {"fill": fill, "label": labels[key]}
        for key, fill in STATUS_FILLS.items()
        if key != "no_data" or fill in used
    ]


def colour_status(
    projected: ProjectedMap,
    keys: dict[str, str],
    names: dict[str, str],
    labels: dict[str, str],
) -> list[MapArea]:
    """Each municipality filled by the status of its responsible authority, titled likewise."""
    areas = []
    for shape in projected.shapes:
        key = keys.get(shape.ags, "no_data")
        name = names.get(shape.ags, shape.name)
        areas.append(
            MapArea(
                ags=shape.ags,
                name=name,
                path=shape.path,
                fill=STATUS_FILLS[key],
                title=f"{name}: {labels[key]}",
                url="",
            )
        )
    return areas


# --- The federal map: Germany's 16 states, coloured by services flächendeckend ---------------

# Light to dark by the number of services flächendeckend (0, 1–2, 3–4, 5 and more); a state
# not open yet is hatched grey, distinct from "0".
FEDERAL_FILLS = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[4]]
NOT_OPEN_FILL = "#d9d9d9"


@lru_cache(maxsize=2)
def state_map() -> ProjectedMap | None:
    """Germany's states, projected; None when the boundary file is not installed."""
    path = _data_file("germany_states.geojson")
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return _project(features, "ags")


def federal_legend() -> list[dict[str, str]]:
    labels = [
        str(_("keine Leistung flächendeckend")),
        str(_("1–2 Leistungen")),
        str(_("3–4 Leistungen")),
        str(_("5 und mehr Leistungen (Ziel)")),
    ]
    entries = [
        {"fill": fill, "label": label} for fill, label in zip(FEDERAL_FILLS, labels, strict=True)
    ]
    entries.append({"fill": NOT_OPEN_FILL, "label": str(_("noch nicht eröffnet"))})
    return entries


def colour_federal(
    projected: ProjectedMap,
    counts: dict[str, int | None],
    classes: dict[str, int],
    names: dict[str, str],
    urls: dict[str, str],
) -> list[MapArea]:
    """Each state filled by its class of services flächendeckend, titled "Bayern: 5"."""
    areas = []
    for shape in projected.shapes:
        count = counts.get(shape.ags)
        name = names.get(shape.ags, shape.name)
        if count is None:
            fill = NOT_OPEN_FILL
            title = f"{name}: {_('noch nicht eröffnet')}"
        else:
            fill = FEDERAL_FILLS[classes[shape.ags]]
            title = f"{name}: " + str(
                _("%(n)s Leistungen flächendeckend") % {"n": number_format(count)}
            )
        areas.append(
            MapArea(
                ags=shape.ags,
                name=name,
                path=shape.path,
                fill=fill,
                title=title,
                url=urls.get(shape.ags, ""),
            )
        )
    return areas
