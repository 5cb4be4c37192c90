"""Keyboard only, in German: sign up, join an authority, land on the staff start page, order a
service from it, and follow the roll-in to Wirkbetrieb, reading on the order page at every
stage whose turn it is. The coordination's and the worker's steps run through the domain
functions; the staff's own steps through the page, by keyboard."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Membership
from accounts.services import membership_approve
from orders.models import Order
from rollin.connectors import ConnectorResult, InProcessConnector
from rollin.models import Rollin, RollinItem
from rollin.services import rollin_item_complete
from rollin.worker import rollin_advance
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_ordering_journey import PASSWORD, _verify, tab_to, type_into
from tests.factories_documents import pdf_document
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template

if TYPE_CHECKING:
    from playwright.sync_api import FileChooser, FilePayload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "it@abensberg.example"


def choose_file_by_keyboard(page, selector: str, seconds: float = 30) -> FileChooser:
    """Tab to a file field and open its chooser with the space bar, as a keyboard user does.

    The listener is on before the field has the focus: Playwright turns the chooser's
    interception on without waiting for the browser's answer, and once in CI (under the full
    suite's load) a key pressed right after `expect_file_chooser` opened no chooser within its
    15 s. Waiting in steps lets Playwright deliver the event meanwhile."""
    opened: list[FileChooser] = []

    def listener(chooser: FileChooser) -> None:
        opened.append(chooser)

    page.on("filechooser", listener)
    try:
        tab_to(page, selector)
        page.keyboard.press("Space")
        for _ in range(int(seconds * 10)):
            if opened:
                return opened[0]
            page.wait_for_timeout(100)
    finally:
        page.remove_listener("filechooser", listener)
    raise AssertionError(f"Space on {selector} opened no file chooser within {seconds} s")


class _Unreachable:
    """The authority's Fachverfahren does not answer: one failed attempt, then a retry."""

    def run(self, *, item: RollinItem) -> ConnectorResult:
        return ConnectorResult(ok=False, error="Zeitüberschreitung nach 10 s")


@pytest.fixture
def no_broker(monkeypatch) -> None:
    """The worker's steps are driven by the test (rollin_advance), not by a broker."""
    from rollin import tasks

    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: None)


def turn_on_page(page, order: Order) -> str:
    page.goto(f"/bestellungen/{order.number}/")
    assert_accessible(page)
    return page.locator("[data-testid=whose-turn]").inner_text()


def current_step(page) -> str:
    return page.locator(".rollin-stepper [aria-current=step]").inner_text()


def press_complete(page, item: RollinItem) -> None:
    tab_to(page, f"form[action$='/punkt/{item.pk}/erledigen/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=ist erledigt")


def open_item(order: Order) -> RollinItem:
    rollin = Rollin.objects.get(order=order)
    return (
        RollinItem.objects.filter(rollin=rollin, stage=rollin.stage)
        .exclude(status=RollinItem.Status.DONE)
        .select_related("definition")
        .order_by("definition__position", "id")
    )[0]


def test_a_new_user_orders_by_keyboard_and_reads_whose_turn_it_is_until_live(
    page, live_server, settings, no_broker
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    default_template()
    authority = factories.AuthorityFactory(
        name="Stadt Abensberg", key="09273111", code="G09273111", postal_code="93326"
    )
    coordinator = factories.CoordinatorFactory(email="koordination@example.org")
    _verify(coordinator)
    service = ServiceFactory(name="eWohnsitz", slug="ewohnsitz")

    # Sign up (names where the form asks for them) and confirm the e-mail address.
    page.goto("/konto/signup/")
    assert_accessible(page)
    if page.locator("#id_first_name").count():
        type_into(page, "#id_first_name", "Erika")
        type_into(page, "#id_last_name", "Mustermann")
    type_into(page, "#id_email", EMAIL)
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(1))
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    # Signed in, not yet staff: the start page shows the way to the authority.
    page.wait_for_url(re.compile(r"/start/$"))
    assert_accessible(page)
    tab_to(page, "main a[href$='/konto/behoerde/']")
    page.keyboard.press("Enter")
    type_into(page, "#id_q", "93326")
    page.keyboard.press("Enter")
    page.wait_for_selector("table >> text=Stadt Abensberg")
    tab_to(page, "main table a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_message")
    type_into(page, "#id_message", "IT-Leitung")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=wird von der Koordination geprüft")

    # The coordination confirms the membership.
    membership = Membership.objects.get(user__email=EMAIL, authority=authority)
    membership_approve(membership_id=membership.pk, actor=coordinator)

    # The home page is now the staff start page, listing the authority's services.
    page.goto("/")
    page.wait_for_url(re.compile(r"/start/$"))
    assert_accessible(page)
    row = page.locator(f"[data-testid=staff-services] tr[data-service='{service.slug}']")
    assert "Nicht bestellt" in row.inner_text()

    # Order it: from the start page to the catalog, basket and checkout, keyboard only.
    tab_to(page, f"main tr[data-service='{service.slug}'] td a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/leistungen/{service.slug}/$"))
    tab_to(page, 'form[action$="/bestellungen/warenkorb/hinzufuegen/"] [type=submit]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/bestellungen/warenkorb/$"))
    tab_to(page, "main a[href$='/bestellungen/kasse/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/kasse/leistung/{service.slug}/$"))
    tab_to(page, "input[name=fachverfahren]")
    page.keyboard.press("Space")
    type_into(page, "#id_contact_name", "Erika Mustermann")
    type_into(page, "#id_contact_email", EMAIL)
    type_into(page, "#id_contact_phone", "09443 9100")
    golive = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d.%m.%Y")
    type_into(page, "#id_desired_golive", golive)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kasse/pruefen/$"))
    tab_to(page, "#id_terms_accepted")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kasse/bestaetigung/$"))
    order = Order.objects.get(authority=authority, service=service)

    # Bestellt: the coordination releases the order.
    assert "Wartet auf die Koordination: Bestellung prüfen und freigeben" in turn_on_page(
        page, order
    )
    assert "Bestellt" in current_step(page)
    rollin_item_complete(item_id=open_item(order).pk, actor=coordinator)
    rollin_advance(order_id=order.pk, connector=InProcessConnector())

    # Vertrag: the authority uploads the signed contract (here, through the page), then the
    # coordination countersigns.
    assert "Sie sind am Zug." in turn_on_page(page, order)
    assert "Wartet auf Ihre Behörde: Unterschriebenen Nachnutzungsvertrag hochladen" in (
        page.locator("[data-testid=whose-turn]").inner_text()
    )
    assert "Vertrag" in current_step(page)
    upload = open_item(order)
    contract: FilePayload = {"name": "vertrag.pdf", "mimeType": "application/pdf", "buffer": _pdf()}
    choose_file_by_keyboard(page, f"#id_item{upload.pk}-document").set_files(files=[contract])
    press_complete(page, upload)
    assert "Wartet auf die Koordination: Vertrag gegenzeichnen" in turn_on_page(page, order)
    rollin_item_complete(item_id=open_item(order).pk, actor=coordinator)
    rollin_advance(order_id=order.pk, connector=InProcessConnector())

    # Kick-off: the authority names its contacts (through the service: a long form).
    assert "Wartet auf Ihre Behörde: Ansprechpersonen benennen" in turn_on_page(page, order)
    staff = membership.user
    rollin_item_complete(item_id=open_item(order).pk, actor=staff, data=_contacts())
    assert "Läuft automatisch" in turn_on_page(page, order)

    # Anbindung: the Fachverfahren does not answer; the page says when the next attempt is.
    rollin_advance(order_id=order.pk, connector=_Unreachable())
    turn = turn_on_page(page, order)
    assert "Das Fachverfahren war nicht erreichbar; nächster Versuch um" in turn
    assert "Anbindung" in current_step(page)
    rollin = Rollin.objects.get(order=order)
    RollinItem.objects.filter(rollin=rollin).update(next_attempt_at=None)
    Rollin.objects.filter(pk=rollin.pk).update(next_attempt_at=None)
    rollin_advance(order_id=order.pk, connector=InProcessConnector())

    # Test, Schulung & Freigabe: the authority confirms on the page, by keyboard.
    for expected in (
        "Eingang des Testantrags bestätigen",
        "Schulung bestätigen",
        "Wirkbetrieb freigeben",
    ):
        assert f"Wartet auf Ihre Behörde: {expected}" in turn_on_page(page, order)
        press_complete(page, open_item(order))
        rollin_advance(order_id=order.pk, connector=InProcessConnector())

    assert "Im Wirkbetrieb seit" in turn_on_page(page, order)
    assert "Wirkbetrieb" in current_step(page)
    assert Rollin.objects.get(order=order).status == Rollin.Status.LIVE


def _pdf() -> bytes:
    return pdf_document("signed re-use agreement")


def _contacts() -> dict[str, object]:
    from rollin.forms import CONTACT_ROLES

    return {
        "contacts": {
            code: {"name": "Erika Mustermann", "email": EMAIL} for code, _label in CONTACT_ROLES
        }
    }
