"""The open-data API: read-only, throttled, paginated, described by OpenAPI, joined with the
catalog. (That its figures equal the independent count is in test_every_figure.)"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.throttling import AnonRateThrottle

from reports import api

pytestmark = pytest.mark.django_db

COVERAGE_VIEWS = [
    api.StateCoverageList,
    api.StateCoverageDetail,
    api.RegionCoverageList,
    api.DistrictCoverageList,
    api.ServiceCoverageDetail,
]


def _urls() -> list[str]:
    return [
        reverse("api-coverage-state-list"),
        reverse("api-coverage-state-detail", args=["09"]),
        reverse("api-coverage-region-list", args=["09"]),
        reverse("api-coverage-district-list", args=["09"]),
        reverse("api-coverage-service-detail", args=["ewohnsitz"]),
    ]


def test_read_only(client, world) -> None:
    for url in _urls():
        assert client.get(url).status_code == 200, url
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(url, {}, content_type="application/json").status_code == 405, url


def test_throttling_is_configured() -> None:
    rest: dict[str, Any] = settings.REST_FRAMEWORK
    assert rest["DEFAULT_THROTTLE_CLASSES"] == ["rest_framework.throttling.AnonRateThrottle"]
    number, period = rest["DEFAULT_THROTTLE_RATES"]["anon"].split("/")
    assert int(number) > 0 and period in {"second", "minute", "hour", "day"}
    # No login for the API: every caller is anonymous and so throttled.
    assert rest["DEFAULT_AUTHENTICATION_CLASSES"] == []
    for view in COVERAGE_VIEWS:
        assert [type(t) for t in view().get_throttles()] == [AnonRateThrottle], view


def test_throttling_answers_429_beyond_the_rate(client, world, monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    cache.clear()
    try:
        url = reverse("api-coverage-state-detail", args=["09"])
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        response = client.get(url)
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        # The catalog shares the same budget: one API.
        assert client.get(reverse("api-service-list")).status_code == 429
    finally:
        cache.clear()


def test_paginated_with_limit_and_offset(client, world) -> None:
    rest: dict[str, Any] = settings.REST_FRAMEWORK
    pagination: str = rest["DEFAULT_PAGINATION_CLASS"]
    assert pagination.endswith("LimitOffsetPagination")
    for view in COVERAGE_VIEWS:
        assert view.pagination_class is not None
        assert issubclass(view.pagination_class, LimitOffsetPagination)
    url = reverse("api-coverage-district-list", args=["09"])
    everything = client.get(url).json()
    assert everything["count"] == 6 and len(everything["results"]) == 6
    assert everything["next"] is None and everything["previous"] is None
    first = client.get(url + "?limit=4").json()
    assert first["count"] == 6 and len(first["results"]) == 4
    assert "offset=4" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None and second["previous"]
    assert first["results"] + second["results"] == everything["results"]


def test_schema_at_the_documented_url(client, world) -> None:
    # The public summary names the URL of the schema.
    summary = client.get(reverse("reports:public_summary")).content.decode()
    assert f'href="{reverse("api_schema")}"' in summary
    assert reverse("api_schema") == "/api/schema/"
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    coverage = [
        "/api/v1/coverage/states/",
        "/api/v1/coverage/states/{ags}/",
        "/api/v1/coverage/states/{ags}/regions/",
        "/api/v1/coverage/states/{ags}/districts/",
        "/api/v1/coverage/services/{slug}/",
    ]
    for path in coverage:
        assert set(paths[path]) - {"parameters"} == {"get"}, path  # read-only
        params = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"limit", "offset"} <= params, path
    # The catalog is part of the same API and schema.
    assert "/api/v1/services/" in paths and "/api/v1/services/{slug}/" in paths
    row = schema["components"]["schemas"]["StateCoverage"]["properties"]
    assert {"is_full", "share_population", "population_live", "service_url"} <= set(row)


def test_rows_link_to_the_catalog(client, world) -> None:
    row = client.get(reverse("api-coverage-state-detail", args=["09"])).json()["results"][0]
    service = client.get(row["service_url"]).json()
    assert service["slug"] == row["service"]
    assert row["service_url"].startswith("http://testserver/api/v1/services/")
