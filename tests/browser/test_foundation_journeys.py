"""First journeys: the home page, the language switch, login and logout as every role."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import assert_accessible, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_german_and_accessible(page) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text().startswith("DigitalMarkt")
    assert page.get_by_role("link", name="Impressum").is_visible()
    assert "Destatis" in page.locator("footer").inner_text()
    assert_accessible(page)


def test_language_switch_to_english_and_back(page) -> None:
    from django.utils import translation

    with translation.override("en"):  # whatever the English catalogue calls it
        imprint = translation.gettext("Impressum")
    assert imprint != "Impressum"
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("link", name=imprint, exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_selector("html[lang=de]")
    assert page.get_by_role("link", name="Impressum").is_visible()


def test_skip_link_is_first_focus_and_moves_to_main(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "factory",
    [
        factories.StaffFactory,
        factories.CoordinatorFactory,
        factories.ViewerFactory,
        factories.AdminFactory,
    ],
    ids=["staff", "coordinator", "viewer", "admin"],
)
def test_every_role_logs_in_and_out(page, factory) -> None:
    user = factory(email=f"{factory.__name__.lower()}@example.org")
    _verify_email(user)
    login(page, user.email, factories.DEFAULT_PASSWORD)
    assert page.get_by_test_id("signed-in-as").inner_text() == user.display_name
    assert_accessible(page)
    logout(page)
    assert page.get_by_test_id("signed-in-as").count() == 0
    assert_accessible(page)


def _verify_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
