from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories_rollin import RollinFactory


def test_api_lists_the_services_paginated(client, catalog) -> None:
    RollinFactory(order__service=catalog["ewaffe"], live=True)
    response = client.get(reverse("api-service-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    by_slug = {row["slug"]: row for row in body["results"]}
    assert by_slug["ewaffe"]["live_count"] == 1
    assert by_slug["ewaffe"]["ordered_count"] == 1
    assert by_slug["ewohnsitz"]["level"] == "municipal"
    assert by_slug["ewohnsitz"]["url"].endswith("/api/v1/services/ewohnsitz/")


def test_api_detail_has_prerequisites_costs_and_funding(client, catalog) -> None:
    response = client.get(reverse("api-service-detail", args=["bauantrag"]))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Bauantrag / Bauvorbescheid"
    assert {p["code"] for p in body["prerequisites"]} >= {"bundid", "epaybl", "osci-xta-dvdv"}
    assert body["fachverfahren"][0]["interface_standard"] == "XBau"
    assert {c["amount"] for c in body["cost_items"]} == {"1239.98", "267.00", "281.85"}
    assert body["funding_programme"]["rate_percent"] == "80.00"
    assert body["funding_programme"]["state"] == "09"


def test_api_is_read_only(client, catalog) -> None:
    assert client.post(reverse("api-service-list"), {}).status_code == 405
    assert client.delete(reverse("api-service-detail", args=["ewaffe"])).status_code == 405


@pytest.mark.django_db
def test_api_unknown_service_is_404(client) -> None:
    assert client.get(reverse("api-service-detail", args=["nichts"])).status_code == 404


@pytest.mark.django_db
def test_openapi_schema_lists_the_catalog_paths(client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = response.content.decode()
    assert "/api/v1/services/:" in schema
    assert "/api/v1/services/{slug}/:" in schema


def test_api_list_takes_the_page_filters(client, catalog) -> None:
    body = client.get(reverse("api-service-list"), {"level": "district"}).json()
    assert body["count"] == 4
    body = client.get(reverse("api-service-list"), {"q": "Wohnsitz"}).json()
    assert [row["slug"] for row in body["results"]] == ["ewohnsitz"]
