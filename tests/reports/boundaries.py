"""Small boundary files for the test worlds: one square per district and municipality.

The report pages draw their maps from the GeoJSON files of DIGITALMARKT_DATA_DIR. The test
worlds' areas are not the real ones of the shipped files, so tests write squares laid out on a
grid for exactly the areas in the test database, in the same file layout and properties.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.models import District, Municipality
from reports import maps


def _square(index: int) -> dict[str, Any]:
    x, y = 10.0 + (index % 10) * 0.2, 48.0 + (index // 10) * 0.2
    ring = [[x, y], [x + 0.18, y], [x + 0.18, y + 0.18], [x, y + 0.18], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def _collection(features: list[dict[str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def write_boundaries(folder: Path) -> Path:
    """Write the district and municipality files for the current database into `folder`."""
    districts: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"ags": d.ags, "name": d.name, "state_ags": d.ags[:2]},
            "geometry": _square(n),
        }
        for n, d in enumerate(District.objects.order_by("ags"))
    ]
    # Two areas the database does not know, as the real files hold districts without any
    # authority in a small test world; the map must show them as such.
    districts += [
        {
            "type": "Feature",
            "properties": {"ags": ags, "name": f"Testkreis {ags}", "state_ags": "09"},
            "geometry": _square(len(districts) + n),
        }
        for n, ags in enumerate(["09998", "09999"])
    ]
    municipalities: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"ags": m.ags, "name": m.name, "district_ags": m.district.ags},
            "geometry": _square(n),
        }
        for n, m in enumerate(Municipality.objects.select_related("district").order_by("ags"))
    ]
    folder.mkdir(parents=True, exist_ok=True)
    bavarian = [f for f in districts if f["properties"]["ags"].startswith("09")]
    (folder / "bavaria_districts.geojson").write_text(_collection(bavarian), encoding="utf-8")
    (folder / "germany_districts.geojson").write_text(_collection(districts), encoding="utf-8")
    (folder / "bavaria_municipalities.geojson").write_text(
        _collection(
            [f for f in municipalities if f["properties"]["district_ags"].startswith("09")]
        ),
        encoding="utf-8",
    )
    clear_map_caches()
    return folder


def clear_map_caches() -> None:
    maps.district_map.cache_clear()
    maps.municipality_map.cache_clear()
