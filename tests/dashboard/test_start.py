"""The start page per role after signing in, through the test client as each role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rollin.models import Rollin
from tests import factories
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db


def test_signing_in_leads_to_the_start_page(client) -> None:
    from allauth.account.models import EmailAddress

    user = factories.StaffFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_the_home_page_is_public_for_visitors_and_the_start_page_for_signed_in_users(
    client,
) -> None:
    assert client.get(reverse("portal:home")).status_code == 200
    client.force_login(factories.StaffFactory())
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("start")


def test_anonymous_visitors_of_the_start_page_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_see_every_service_with_their_authoritys_state_and_turn(client) -> None:
    rollin = RollinFactory(at="vertrag")
    staff = factories.StaffFactory(authority=rollin.order.authority)
    other = ServiceFactory(slug="anderer-dienst", name="Anderer Dienst")
    client.force_login(staff)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wartet auf Ihre Behörde: Unterschriebenen Nachnutzungsvertrag hochladen" in page
    assert "In Einführung, Stufe „Vertrag“" in page
    rows = {row.service.slug: row for row in response.context["start"].rows}
    assert rows[other.slug].state is None
    assert [task.order for task in response.context["start"].tasks] == [rollin.order]


def test_staff_without_a_confirmed_authority_are_shown_the_way_there(client) -> None:
    client.force_login(factories.UserFactory())
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert reverse("accounts:my_authority") in response.content.decode()


def test_coordinators_see_their_queue_and_counts_linking_to_filtered_lists(client) -> None:
    waiting = RollinFactory(at="bestellt")  # the release is the coordination's
    RollinFactory(at="anbindung", failing=True, order__authority=waiting.order.authority)
    coordinator = factories.CoordinatorFactory(states=[waiting.order.authority.state])
    client.force_login(coordinator)
    response = client.get(reverse("start"))
    start = response.context["start"]
    assert start.counts["waiting"] == 1 and start.counts["failing"] == 1
    assert [item.rollin for item, _turn in start.queue] == [waiting]
    page = response.content.decode()
    assert f"{reverse('dashboard:order_list')}?status=failing" in page
    assert "Bestellung prüfen und freigeben" in page


def test_ministry_viewers_see_the_coverage_of_their_state(client) -> None:
    rollin = RollinFactory(live=True)
    assert rollin.status == Rollin.Status.LIVE
    viewer = factories.ViewerFactory(states=[rollin.order.authority.state])
    client.force_login(viewer)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    glance = response.context["glances"][0]
    assert glance.state == rollin.order.authority.state
    page = response.content.decode()
    assert reverse("reports:state_report", args=[glance.state.ags]) in page
    # No personal data: no order number on the ministry's page.
    assert rollin.order.number not in page
