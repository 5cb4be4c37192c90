"""The ordering journey: sign up, join an authority, order two services by keyboard only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from orders.models import Order
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ein-sehr-sicheres-Passwort-2026"


@pytest.fixture
def no_broker(monkeypatch) -> None:
    """The roll-in worker is rollin's to test; here its enqueueing is only recorded."""
    from rollin import tasks

    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: None)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    target = page.locator(selector)
    target.first.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.first.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_staff_signs_up_joins_and_orders_two_services_by_keyboard(
    page, browser, live_server, settings, no_broker
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    default_template()
    authority = factories.AuthorityFactory(
        name="Stadt Abensberg", key="09273111", code="G09273111", postal_code="93326"
    )
    coordinator = factories.CoordinatorFactory(email="koordination@example.org")
    _verify(coordinator)
    wohnsitz = ServiceFactory(name="eWohnsitz", slug="ewohnsitz")
    waffe = ServiceFactory(name="eWaffe", slug="ewaffe")

    # Sign up and verify the e-mail address.
    page.goto("/konto/signup/")
    assert_accessible(page)
    type_into(page, "#id_first_name", "Klara")
    type_into(page, "#id_last_name", "Kämmerer")
    type_into(page, "#id_email", "kaemmerei@abensberg.example")
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    assert_accessible(page)
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", str(mail.outbox[-1].body))
    page.goto(link.group(1))
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=signed-in-as]")

    # Find the authority and ask to join.
    page.goto("/konto/behoerde/")
    assert_accessible(page)
    type_into(page, "#id_q", "93326")
    page.keyboard.press("Enter")
    page.wait_for_selector("table >> text=Stadt Abensberg")
    assert_accessible(page)
    tab_to(page, "main table a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_message")
    assert_accessible(page)
    type_into(page, "#id_message", "Kämmerei, zuständig für die Digitalisierung")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=wird von der Koordination geprüft")
    assert_accessible(page)

    # A coordinator approves in the queue (their own browser).
    coordination = browser.new_context(locale="de-DE", base_url=live_server.url)
    coordinator_page = coordination.new_page()
    login(coordinator_page, coordinator.email, factories.DEFAULT_PASSWORD)
    coordinator_page.goto("/konto/behoerde/antraege/")
    assert_accessible(coordinator_page)
    request_row = coordinator_page.get_by_role("row").filter(has_text="kaemmerei@abensberg.example")
    request_row.get_by_role("button", name="Bestätigen").click()
    coordinator_page.wait_for_selector("text=Keine offenen Anträge")
    assert_accessible(coordinator_page)
    coordination.close()
    assert any("Abensberg" in message.subject for message in mail.outbox)

    # Order both services in one checkout, keyboard only.
    page.goto("/konto/behoerde/")
    page.wait_for_selector("text=und können für sie bestellen")
    assert_accessible(page)
    for service in (wohnsitz, waffe):
        page.goto(f"/leistungen/{service.slug}/")
        assert_accessible(page)
        tab_to(page, 'form[action$="/bestellungen/warenkorb/hinzufuegen/"] [type=submit]')
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/bestellungen/warenkorb/$"))
    assert_accessible(page)
    tab_to(page, "main a[href$='/bestellungen/kasse/']")
    page.keyboard.press("Enter")
    golive = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d.%m.%Y")
    for service in (wohnsitz, waffe):
        page.wait_for_url(re.compile(rf"/kasse/leistung/{service.slug}/$"))
        assert_accessible(page)
        tab_to(page, "input[name=fachverfahren]")
        page.keyboard.press("Space")
        type_into(page, "#id_contact_name", "Erika Mustermann")
        type_into(page, "#id_contact_email", "digital@abensberg.example")
        type_into(page, "#id_contact_phone", "09443 9100")
        type_into(page, "#id_desired_golive", golive)
        tab_to(page, "main form button[type=submit]")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kasse/pruefen/$"))
    assert_accessible(page)
    tab_to(page, "#id_terms_accepted")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kasse/bestaetigung/$"))
    assert_accessible(page)

    orders = list(Order.objects.filter(authority=authority).order_by("number"))
    assert [order.service for order in orders] == [wohnsitz, waffe]
    confirmation = next(m for m in mail.outbox if "Bestellungen sind eingegangen" in m.subject)
    assert set(confirmation.to) == {"kaemmerei@abensberg.example", "digital@abensberg.example"}
    for order in orders:
        assert page.get_by_text(order.number).is_visible()
        assert order.number in confirmation.body

    tab_to(page, "main a[href$='/bestellungen/']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1 >> text=Meine Bestellungen")
    assert_accessible(page)
    for order in orders:
        row = page.get_by_role("row").filter(has_text=order.number)
        assert row.get_by_text(order.service.name).is_visible()

    # The detail page of an order: data entered, roll-in timeline and checklist, comments.
    tab_to(page, f"main a[href$='/bestellungen/{orders[0].number}/']")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"h1 >> text={orders[0].number}")
    assert page.get_by_text("digital@abensberg.example").first.is_visible()
    assert_accessible(page)


def _verify(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
