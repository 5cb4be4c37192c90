"""Issue 19's journey: an operator opens Saarland, its invited coordinator signs up, a
municipality of Saarland registers, is approved and orders eWohnsitz; the federal page then
shows Saarland with its figures next to Bavaria's."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from geo.models import Authority, State
from orders.models import Order
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ein-sehr-sicheres-Passwort-2026"


@pytest.fixture
def no_broker(monkeypatch) -> None:
    from rollin import tasks

    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: None)


def _verify(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def sign_up(page, email: str) -> None:
    page.goto("/konto/signup/")
    page.locator("#id_first_name").fill("Sanne")
    page.locator("#id_last_name").fill("Saar")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    body = next(str(m.body) for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", body)
    assert link is not None
    page.goto(link.group(1))
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("[data-testid=signed-in-as]")


def post_step(page, heading: str, button: str) -> None:
    section = page.locator("section").filter(has=page.get_by_role("heading", name=heading))
    section.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_operator_opens_saarland_and_the_federal_page_shows_it_beside_bavaria(
    page, browser, live_server, settings, no_broker
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    default_template()
    factories.StateFactory()  # Bavaria, open
    wohnsitz = ServiceFactory(name="eWohnsitz", slug="ewohnsitz")  # offered in Bavaria
    operator = factories.AdminFactory(email="betrieb@example.org")
    _verify(operator)

    # The operator opens Saarland step by step.
    login(page, operator.email, factories.DEFAULT_PASSWORD)
    page.goto("/eroeffnung/")
    assert_accessible(page)
    page.get_by_role("link", name="Saarland").click()
    page.wait_for_url(re.compile(r"/eroeffnung/10/$"))
    assert_accessible(page)
    post_step(page, "1. Gebiet", "Gebiet importieren")
    page.wait_for_selector("[data-step=territory][data-done=true]")
    page.get_by_test_id("open-state").click()
    page.wait_for_selector("text=Es fehlt: Zuständigkeiten")  # says what is missing
    assert_accessible(page)
    post_step(page, "2. Zuständigkeiten", "Vorgaben nach Ebene bestätigen")
    page.wait_for_selector("[data-step=responsibility][data-done=true]")
    page.locator("#id_offering-service").select_option(label=str(wohnsitz))
    page.locator("input[name=offering-fachverfahren]").first.check()
    post_step(page, "3. Angebotene Leistungen", "Leistung anbieten")
    page.wait_for_selector("[data-step=services][data-done=true]")
    page.locator("#id_contractor-general_contractor").fill("IT-Dienstleistungszentrum Saarland")
    post_step(page, "4. Generalunternehmer", "Speichern")
    page.locator("#id_coordinator-email").fill("koordination@saarland.example")
    post_step(page, "5. Koordination", "Einladung senden")
    page.wait_for_selector("[data-step=coordinators][data-done=true]")
    assert_accessible(page)
    page.get_by_test_id("open-state").click()
    page.wait_for_selector("text=Saarland ist eröffnet")
    assert_accessible(page)
    assert State.objects.get(ags="10").is_open

    # The invited coordinator signs up with the invited address and accepts.
    invitation = next(m for m in mail.outbox if "koordination@saarland.example" in m.to)
    accept = re.search(
        r"https?://[^/\s]+(/konto/behoerde/koordination/einladung/[^\s]+/)", str(invitation.body)
    )
    assert accept is not None
    coordination = browser.new_context(locale="de-DE", base_url=live_server.url)
    coordinator_page = coordination.new_page()
    sign_up(coordinator_page, "koordination@saarland.example")
    coordinator_page.goto(accept.group(1))
    assert_accessible(coordinator_page)
    coordinator_page.locator("main form button[type=submit]").click()
    coordinator_page.wait_for_selector("text=Sie koordinieren jetzt die Einführung in Saarland")

    # A municipality of Saarland registers and asks to join Saarbrücken.
    staff = browser.new_context(locale="de-DE", base_url=live_server.url)
    staff_page = staff.new_page()
    sign_up(staff_page, "digital@saarbruecken.example")
    saarbruecken = Authority.objects.get(code="G10041100")  # the city's own administration
    staff_page.goto("/konto/behoerde/?q=10041100")
    staff_page.get_by_role("link", name=re.compile(f"{re.escape(saarbruecken.name)}$")).click()
    staff_page.locator("main form button[type=submit]").click()
    staff_page.wait_for_selector("text=wird von der Koordination geprüft")

    # Saarland's coordinator approves.
    coordinator_page.goto("/konto/behoerde/antraege/")
    assert_accessible(coordinator_page)
    row = coordinator_page.get_by_role("row").filter(has_text="digital@saarbruecken.example")
    row.get_by_role("button", name="Bestätigen").click()
    coordinator_page.wait_for_selector("text=Keine offenen Anträge")
    coordination.close()

    # The municipality orders eWohnsitz.
    staff_page.goto(f"/leistungen/{wohnsitz.slug}/")
    assert "Saarland" in staff_page.get_by_test_id("offered-in").inner_text()
    staff_page.locator('form[action$="/bestellungen/warenkorb/hinzufuegen/"] [type=submit]').click()
    staff_page.wait_for_url(re.compile(r"/bestellungen/warenkorb/$"))
    staff_page.locator("main a[href$='/bestellungen/kasse/']").click()
    staff_page.wait_for_url(re.compile(rf"/kasse/leistung/{wohnsitz.slug}/$"))
    staff_page.locator("input[name=fachverfahren]").first.check()
    staff_page.locator("#id_contact_name").fill("Erika Mustermann")
    staff_page.locator("#id_contact_email").fill("digital@saarbruecken.example")
    staff_page.locator("#id_contact_phone").fill("0681 9050")
    golive = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d.%m.%Y")
    staff_page.locator("#id_desired_golive").fill(golive)
    staff_page.locator("main form button[type=submit]").click()
    staff_page.wait_for_url(re.compile(r"/kasse/pruefen/$"))
    staff_page.locator("#id_terms_accepted").check()
    staff_page.locator("main form button[type=submit]").click()
    staff_page.wait_for_url(re.compile(r"/kasse/bestaetigung/$"))
    staff.close()
    assert Order.objects.filter(authority=saarbruecken, service=wohnsitz).count() == 1

    # The federal page: Saarland with its figures next to Bavaria's.
    page.goto("/berichte/bund/")
    assert_accessible(page)
    rows = page.locator("table[data-table=laender] tbody tr")
    saarland = rows.filter(has_text="Saarland").inner_text()
    bavaria = rows.filter(has_text="Bayern").inner_text()
    assert "eröffnet" in saarland and "noch nicht" not in saarland
    assert "eröffnet" in bavaria
    # Saarland: 1 service offered, 0 flächendeckend, target 5, 1 in roll-in.
    assert re.search(r"\b1\s+0\s+5\s+1\b", saarland.replace("\t", " ")), saarland
    assert "noch nicht eröffnet" in rows.filter(has_text="Hessen").inner_text()
