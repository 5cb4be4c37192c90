"""The catalog for signed-in staff: what their authority ordered or runs, ordering only where
it can succeed, and no funding offered for a service that costs nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import BasketItem
from tests import factories
from tests.factories_orders import CostItemFactory, FundingProgrammeFactory, ServiceFactory
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered():
    """An order of the authority at stage Vertrag, and one of its staff."""
    rollin = RollinFactory(at="vertrag")
    return rollin.order, factories.StaffFactory(authority=rollin.order.authority)


def test_staff_see_what_their_authority_ordered_with_stage_and_turn(client, ordered) -> None:
    order, staff = ordered
    client.force_login(staff)
    listing = client.get(reverse("catalog:service_list")).content.decode()
    assert "In Einführung, Stufe „Vertrag“" in listing
    detail = client.get(reverse("catalog:service_detail", args=[order.service.slug]))
    page = detail.content.decode()
    assert "Wartet auf Ihre Behörde: Unterschriebenen Nachnutzungsvertrag hochladen" in page
    assert reverse("orders:order_detail", args=[order.number]) in page
    assert 'data-testid="order-button"' not in page


def test_visitors_and_other_authorities_see_no_marks(client, ordered) -> None:
    order, _staff = ordered
    url = reverse("catalog:service_detail", args=[order.service.slug])
    assert 'data-testid="own-state"' not in client.get(url).content.decode()
    client.force_login(factories.StaffFactory())  # another authority
    assert 'data-testid="own-state"' not in client.get(url).content.decode()


def test_an_ordered_service_is_refused_from_the_basket_with_the_reason(client, ordered) -> None:
    order, staff = ordered
    client.force_login(staff)
    response = client.post(
        reverse("orders:basket_add"), {"service": order.service.slug}, follow=True
    )
    assert "bereits bestellt" in response.content.decode()
    assert "liegt im Warenkorb" not in response.content.decode()
    assert not BasketItem.objects.filter(user=staff).exists()


def test_a_service_that_costs_nothing_offers_no_funding(client) -> None:
    service = ServiceFactory(funding_programme=FundingProgrammeFactory())
    CostItemFactory(service=service, amount=Decimal("0.00"))
    page = client.get(reverse("catalog:service_detail", args=[service.slug])).content.decode()
    assert 'data-testid="free-of-charge"' in page
    assert "Fördersatz" not in page
