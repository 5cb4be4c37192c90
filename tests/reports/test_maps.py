"""The district map: one linked, titled path per district, geometry parsed once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from geo.importers import PROJECT_DATA_DIR
from geo.models import District, Region
from reports import maps

pytestmark = pytest.mark.django_db

# The project's own copy of the boundaries (it ships with the repository, so no skip).
SHIPPED = PROJECT_DATA_DIR


def test_service_report_map_has_one_linked_path_per_district(
    client, world, bavaria_viewer, settings, tmp_path
) -> None:
    # A tiny boundary file with the test world's three districts.
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"ags": ags, "name": name},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x, 48.0], [x + 0.5, 48.0], [x + 0.5, 48.5], [x, 48.0]]],
                },
            }
            for x, (ags, name) in enumerate(
                [("09162", "München"), ("09273", "Kelheim"), ("09274", "Landshut")]
            )
        ],
    }
    import json

    (tmp_path / "bavaria_districts.geojson").write_text(json.dumps(geojson), encoding="utf-8")
    settings.DIGITALMARKT_DATA_DIR = tmp_path
    maps.district_map.cache_clear()
    try:
        client.force_login(bavaria_viewer)
        url = reverse("reports:service_report", args=["09", world.municipal_service.slug])
        html = client.get(url).content.decode()
    finally:
        maps.district_map.cache_clear()
    svg = html.split('<svg class="report-map-svg"')[1].split("</svg>")[0]
    assert len(re.findall(r"<path ", svg)) == 3
    assert f'href="{reverse("reports:district_report", args=["09273"])}"' in svg
    # München: everyone served by the city, which is live.
    assert "<title>München: 100,0 %</title>" in svg
    assert "Landkreis Kelheim: " in svg
    assert html.count('class="report-legend-swatch"') == 6


def test_class_boundaries() -> None:
    from decimal import Decimal

    assert [maps.class_index(Decimal(v)) for v in (0, 19.9, 20, 59, 80, 100)] == [0, 0, 1, 2, 4, 4]


def test_geometry_is_parsed_once(settings) -> None:
    settings.DIGITALMARKT_DATA_DIR = SHIPPED
    maps.district_map.cache_clear()
    first = maps.district_map("09")
    assert maps.district_map("09") is first
    assert maps.district_map.cache_info().hits >= 1
    maps.district_map.cache_clear()


def test_real_bavarian_map_renders_96_districts(client, settings) -> None:
    import json

    settings.DIGITALMARKT_DATA_DIR = SHIPPED
    maps.district_map.cache_clear()
    features = json.loads((SHIPPED / "bavaria_districts.geojson").read_text())["features"]
    from tests import factories
    from tests.factories_orders import ServiceFactory

    state = factories.StateFactory(ags="09", name="Bayern")
    regions: dict[str, Region] = {}
    for feature in features:
        p = feature["properties"]
        region = regions.get(p["region_ags"]) or Region.objects.create(
            ags=p["region_ags"], name=p["region_name"], state=state
        )
        regions[p["region_ags"]] = region
        district = District.objects.create(
            ags=p["ags"],
            name=p["name"],
            official_name=p["name"],
            state=state,
            region=region,
            kind=District.Kind.KREISFREIE_STADT
            if p["kind"] == "Kreisfreie Stadt"
            else District.Kind.LANDKREIS,
            population=p["population"],
        )
        factories.LandratsamtFactory(district=district)
    ServiceFactory(slug="ewohnsitz", name="eWohnsitz")
    html = client.get(reverse("reports:public_summary") + "?land=09").content.decode()
    maps.district_map.cache_clear()
    svg = html.split('<svg class="report-map-svg"')[1].split("</svg>")[0]
    assert len(re.findall(r"<path ", svg)) == 96
    assert len(re.findall(r"<title[ >]", svg)) == 97  # 96 districts + the map's own title
    assert str(settings.DIGITALMARKT_DATA_DIR) == str(SHIPPED)
