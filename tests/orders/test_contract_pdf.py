"""The Nachnutzungsvertrag as a PDF on the contract item: for the people who sign it only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import AdminFactory, StaffFactory, ViewerFactory
from tests.factories_orders import CostItemFactory
from tests.factories_rollin import coordinator_for, rollin_at

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def order_at_contract():
    order = rollin_at("vertrag")
    CostItemFactory(service=order.service, label="Einrichtung", amount="1234.50")
    return order


def test_staff_of_the_authority_download_the_contract_of_their_order(client, order_at_contract):
    order = order_at_contract
    client.force_login(order.placed_by)
    response = client.get(reverse("orders:order_contract_pdf", args=[order.number]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"nachnutzungsvertrag-{order.number.lower()}.pdf" in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for expected in (
        "Nachnutzungsvertrag",
        order.number,
        order.authority.name,
        order.service.name,
        "1.234,50 €",
        "§ 8a Abs. 4 OZG",
        "Unterschrift",
    ):
        assert expected in text, expected


def test_coordinators_of_the_state_download_it_too(client, order_at_contract):
    client.force_login(coordinator_for(order_at_contract))
    response = client.get(reverse("orders:order_contract_pdf", args=[order_at_contract.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "who",
    ["other_authority_staff", "other_state_coordinator", "viewer", "admin"],
)
def test_nobody_else_gets_the_contract(client, order_at_contract, who):
    from tests.factories import CoordinatorFactory, StateFactory

    other_state = StateFactory(ags="08", name="Baden-Württemberg")
    user = {
        "other_authority_staff": lambda: StaffFactory(),
        "other_state_coordinator": lambda: CoordinatorFactory(states=[other_state]),
        "viewer": lambda: ViewerFactory(states=[order_at_contract.authority.state]),
        "admin": lambda: AdminFactory(),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("orders:order_contract_pdf", args=[order_at_contract.number]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, order_at_contract):
    response = client.get(reverse("orders:order_contract_pdf", args=[order_at_contract.number]))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_contract_item_links_the_pdf_and_the_page_names_the_coordination(
    client, order_at_contract
):
    order = order_at_contract
    client.force_login(order.placed_by)
    page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()

    assert reverse("orders:order_contract_pdf", args=[order.number]) in page
    assert 'data-testid="coordinator-in-charge"' in page
    assert f"Koordination {order.authority.state.name}" in page


def test_the_order_page_names_the_assigned_coordinator(client, order_at_contract):
    order = order_at_contract
    coordinator = coordinator_for(order)
    order.rollin.assignee = coordinator
    order.rollin.save(update_fields=["assignee"])
    client.force_login(order.placed_by)
    page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()

    box = page[page.index('data-testid="coordinator-in-charge"') :]
    assert coordinator.display_name in box[: box.index("</div>\n</div>")]
