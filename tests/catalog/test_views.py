from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Service
from tests.factories import (
    AuthorityFactory,
    CoordinatorFactory,
    LandratsamtFactory,
    StaffFactory,
    UserFactory,
)
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import RollinFactory

LIST_URL = reverse("catalog:service_list")


def _detail(slug: str) -> str:
    return reverse("catalog:service_detail", args=[slug])


def test_list_shows_the_five_services_publicly(client, catalog) -> None:
    html = client.get(LIST_URL).content.decode()
    assert html.count('data-testid="service-card"') == 5
    assert "eWohnsitz – elektronische Wohnsitzanmeldung" in html
    assert "5 Leistungen gefunden" in html


def test_search_and_filters_are_in_the_query_string(client, catalog) -> None:
    html = client.get(LIST_URL, {"q": "Wohnsitz"}).content.decode()
    assert html.count('data-testid="service-card"') == 1
    assert _detail("ewohnsitz") in html
    assert 'value="Wohnsitz"' in html  # the form keeps the query

    html = client.get(LIST_URL, {"level": "district"}).content.decode()
    assert html.count('data-testid="service-card"') == 4
    assert "Filter zurücksetzen" in html

    html = client.get(LIST_URL, {"prerequisite": "fit-connect", "level": "district"}).content
    assert html.decode().count('data-testid="service-card"') == 3


def test_unknown_filter_values_are_ignored_not_errors(client, catalog) -> None:
    response = client.get(LIST_URL, {"prerequisite": "gibt-es-nicht", "fachverfahren": "x"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="service-card"') == 5


@pytest.mark.django_db
def test_list_paginates_and_keeps_filters_in_page_links(client) -> None:
    for index in range(12):
        DistrictServiceFactory(slug=f"kreis-{index:02d}", position=index)
    html = client.get(LIST_URL, {"level": "district"}).content.decode()
    assert html.count('data-testid="service-card"') == 10
    assert "level=district&amp;page=2" in html
    html = client.get(LIST_URL, {"level": "district", "page": 2}).content.decode()
    assert html.count('data-testid="service-card"') == 2


def test_detail_shows_prerequisites_channels_costs_funding_and_stages(client, catalog) -> None:
    html = client.get(_detail("fuehrerschein")).content.decode()
    assert "Fahrerlaubnisbehörde (Landratsamt oder kreisfreie Stadt)" in html
    for text in ["Nutzerkonto BundID", "Nutzerkonto BayernID", "Bezahlplattform ePayBL"]:
        assert text in html
    assert "Übermittlungsweg" in html and "FIT-Connect-Zustellpunkt" in html
    assert "Einer der folgenden Übermittlungswege genügt." in html
    assert "1.239,98 €" in html and "281,85 €" in html
    assert "1.506,98 €" in html  # one-off total
    assert "Förderung der Fachverfahrensanbindung" in html
    assert "80 %" in html and "90 % in Räumen mit besonderem Handlungsbedarf" in html
    assert "20.000,00 €" in html
    assert "vor Abschluss des Vertrags" in html
    assert "Standardablauf" in html and "Wirkbetrieb" in html


def test_detail_counts_are_computed_from_orders(client, catalog) -> None:
    service = catalog["ewohnsitz"]
    RollinFactory(order__service=service, live=True)
    RollinFactory(order__service=service, on_hold=True)
    html = client.get(_detail("ewohnsitz")).content.decode()
    assert '<dd data-testid="live-count">1 Behörde</dd>' in html
    assert '<dd data-testid="ordered-count">2 Behörden</dd>' in html


@pytest.mark.django_db
def test_unknown_service_is_404(client) -> None:
    assert client.get(_detail("gibt-es-nicht")).status_code == 404


# --- who sees the order button ----------------------------------------------------------------


def _order_box(client, slug: str) -> str:
    html = client.get(_detail(slug)).content.decode()
    start = html.index('data-testid="order-box"')
    return html[start : html.index("</aside>", start)]


def test_anonymous_is_asked_to_sign_in(client, catalog) -> None:
    box = _order_box(client, "ewohnsitz")
    assert 'data-testid="order-button"' not in box
    assert "Bitte melden Sie sich an" in box
    assert "/konto/login/?next=/leistungen/ewohnsitz/" in box


def test_municipal_staff_cannot_order_a_district_service(client, catalog) -> None:
    client.force_login(StaffFactory(authority=AuthorityFactory()))
    box = _order_box(client, "ewaffe")
    assert 'data-testid="order-button"' not in box
    assert "Diese Leistung wird von Behörden der Kreisebene bestellt" in box
    assert 'data-testid="order-button"' in _order_box(client, "ewohnsitz")


def test_district_staff_can_order_a_district_service(client, catalog) -> None:
    client.force_login(StaffFactory(authority=LandratsamtFactory()))
    box = _order_box(client, "ewaffe")
    assert 'data-testid="order-button"' in box
    assert 'action="/bestellungen/warenkorb/hinzufuegen/"' in box
    assert 'name="service" value="ewaffe"' in box
    assert "Diese Leistung wird von Behörden der Gemeindeebene bestellt" in _order_box(
        client, "ewohnsitz"
    )


def test_coordinator_sees_no_order_button(client, catalog) -> None:
    client.force_login(CoordinatorFactory())
    box = _order_box(client, "ewaffe")
    assert 'data-testid="order-button"' not in box
    assert "Bestellen können nur Mitarbeitende einer Behörde" in box


def test_staff_without_authority_is_told_how_to_join(client, catalog) -> None:
    client.force_login(UserFactory())
    box = _order_box(client, "ewohnsitz")
    assert 'data-testid="order-button"' not in box
    assert "noch keiner Behörde zugeordnet" in box
    assert reverse("accounts:my_authority") in box


@pytest.mark.django_db
def test_planned_service_cannot_be_ordered_yet(client) -> None:
    ServiceFactory(slug="geplant", status=Service.Status.PLANNED)
    client.force_login(StaffFactory(authority=AuthorityFactory()))
    box = _order_box(client, "geplant")
    assert 'data-testid="order-button"' not in box
    assert "noch in Planung" in box


# --- the number of queries does not grow with the data ----------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _services_with_orders(count: int) -> None:
    for index in range(count):
        service = DistrictServiceFactory(slug=f"s-{index:03d}", position=index)
        RollinFactory(order__service=service, live=True)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_services(client, django_assert_max_num_queries) -> None:
    _services_with_orders(3)
    few = _queries(client, LIST_URL)
    _services_with_orders(30)
    with django_assert_max_num_queries(few):
        client.get(LIST_URL)
    with django_assert_max_num_queries(few):
        client.get(LIST_URL, {"q": "Leistung", "level": "district", "page": 2})


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_services(client, django_assert_max_num_queries) -> None:
    _services_with_orders(3)
    client.force_login(StaffFactory(authority=LandratsamtFactory()))
    few = _queries(client, _detail("s-000"))
    _services_with_orders(30)
    with django_assert_max_num_queries(few):
        client.get(_detail("s-000"))


def test_detail_in_english_uses_the_translations(client, catalog) -> None:
    html = client.get(_detail("ewohnsitz"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "eWohnsitz – electronic residence registration" in html
    assert "Registration itself is free of charge." in html
