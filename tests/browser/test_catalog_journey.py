"""A municipality explores the catalog: search, read the details, and (signed in) order."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Service
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import offering_ensure
from tests.factories_rollin import default_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded_catalog() -> None:
    factories.StateFactory()
    default_template()
    call_command("load_catalog", stdout=StringIO())


def test_search_wohnsitz_and_read_the_details(page, loaded_catalog) -> None:
    page.goto("/leistungen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Leistungskatalog"
    assert page.get_by_test_id("service-card").count() == 5
    assert_accessible(page)

    page.get_by_role("textbox", name="Suchbegriff").fill("Wohnsitz")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/leistungen/?q=Wohnsitz*")
    assert page.get_by_test_id("service-card").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="eWohnsitz – elektronische Wohnsitzanmeldung").click()
    page.wait_for_url("**/leistungen/ewohnsitz/")
    assert "Meldebehörde" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Kompatible Fachverfahren").is_visible()
    assert page.get_by_test_id("stages").locator("li").first.inner_text() == "Bestellt"
    assert "Bitte melden Sie sich an" in page.get_by_test_id("order-box").inner_text()
    assert_accessible(page)


def test_district_filter_and_order_button_for_a_landratsamt(page, loaded_catalog) -> None:
    page.goto("/leistungen/")
    page.get_by_label("Zuständige Ebene").select_option("district")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**level=district*")
    assert page.get_by_test_id("service-card").count() == 4
    assert_accessible(page)

    staff = factories.StaffFactory(
        email="landratsamt@example.org", authority=factories.LandratsamtFactory()
    )
    _verify_email(staff)
    # The reference catalog is offered in the states open when it was loaded; this one is new.
    offering_ensure(Service.objects.get(slug="ewaffe"), [staff.authority.state])
    login(page, staff.email, factories.DEFAULT_PASSWORD)
    page.goto("/leistungen/ewaffe/")
    assert page.get_by_test_id("order-button").is_visible()
    assert_accessible(page)


def _verify_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
