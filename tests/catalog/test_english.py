"""English is English: in English, the catalog and the order pages show no German catalog text."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from catalog import reference_data
from catalog.models import Fachverfahren, Service
from catalog.services import catalog_load
from tests.factories import AuthorityFactory
from tests.factories_rollin import order_with_rollin

pytestmark = pytest.mark.django_db


def _german_texts() -> set[str]:
    """Every reference text with an English form that does not contain it (proper names like
    "XMeld" or "eWaffe" are the same in both languages and may appear)."""
    rows: list[dict[str, Any]] = [
        *reference_data.PREREQUISITES,
        *reference_data.FACHVERFAHREN,
        *reference_data.FUNDING_PROGRAMMES,
        *reference_data.SERVICES,
        *(cost for service in reference_data.SERVICES for cost in service["costs"]),
    ]
    texts = set()
    for row in rows:
        for name, value in row.items():
            english = row.get(f"{name}_en")
            if isinstance(value, str) and value and english is not None:
                assert english, f"{name} has no English text: {value}"
                if value not in english:  # "eWaffe" is a name inside "eWaffe (weapons)"
                    texts.add(value)
    return texts


def _english(client: Any, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_reference_text_has_its_english_form() -> None:
    german = _german_texts()
    assert "XMeld-fähiges Einwohnermeldeverfahren" in german
    assert "Entfällt, wenn die Behörde ePayBL bereits nutzt." in german


def test_catalog_pages_in_english_show_no_german_catalog_text(client, catalog) -> None:
    german = _german_texts()
    pages = [reverse("catalog:service_list")] + [
        reverse("catalog:service_detail", args=[slug]) for slug in catalog
    ]
    for url in pages:
        page = _english(client, url)
        found = [text for text in german if text in page]
        assert found == [], (url, found)
    detail = _english(client, reverse("catalog:service_detail", args=["ewohnsitz"]))
    assert "XMeld-capable residence registration system" in detail
    assert "No ePayBL costs, as registering a residence is free of charge." in detail


def test_order_page_in_english_shows_the_english_fachverfahren(client, catalog) -> None:
    service = catalog["ewohnsitz"]
    order = order_with_rollin(
        service=service,
        fachverfahren=service.fachverfahren.first(),
        authority=AuthorityFactory(),
    )
    client.force_login(order.placed_by)
    page = _english(client, reverse("orders:order_detail", args=[order.number]))
    assert "XMeld-capable residence registration system" in page
    assert [text for text in _german_texts() if text in page] == []


def test_loading_again_fills_english_texts_missing_from_an_older_catalog(catalog) -> None:
    Fachverfahren.objects.update(product_en="", note_en="")
    Service.objects.filter(slug="ewohnsitz").update(name_en="")
    catalog_load()
    xmeld = Fachverfahren.objects.get(interface_standard="XMeld")
    assert xmeld.product_en == "XMeld-capable residence registration system"
    assert Service.objects.get(slug="ewohnsitz").name_en.startswith("eWohnsitz")
