"""The campaign journey: a coordinator writes to the white spots of Landkreis Kelheim for
eWohnsitz; one recipient follows the personal link, signs up, is approved and orders; the
campaign page shows that authority as ordered and the others as sent; the follow-up goes only
to the others. Every e-mail goes through the outbox to a real SMTP server."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from outreach import campaigns
from outreach.models import ContactAddress
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template
from tests.portal.smtp import SmtpServer, free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ein-sehr-sicheres-Passwort-2026"
TOWNS = {"Abensberg": "09273111", "Bad Abbach": "09273112", "Painten": "09273113"}


@pytest.fixture
def smtp(settings) -> Any:
    server = SmtpServer(free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()


@pytest.fixture
def in_process(monkeypatch) -> None:
    """The throttled batches and the roll-in worker run where the test can wait for them."""
    from outreach import tasks as outreach_tasks
    from rollin import tasks as rollin_tasks

    monkeypatch.setattr(
        outreach_tasks.send_campaign_batch,
        "delay",
        lambda campaign_id: campaigns.campaign_send_batch(campaign_id=campaign_id, limit=100),
    )
    monkeypatch.setattr(rollin_tasks.advance, "delay", lambda order_id: None)


def _verify(user: Any) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _wait_for_mail(smtp: Any, to: str, count: int = 1) -> list[Any]:
    deadline = timezone.now() + datetime.timedelta(seconds=15)
    while timezone.now() < deadline:
        found = [m for m in smtp.messages if to in str(m["To"])]
        if len(found) >= count:
            return found
    raise AssertionError(f"no mail to {to}: {[str(m['To']) for m in smtp.messages]}")


def _body(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def test_campaign_to_white_spots_is_followed_to_an_order(
    page, browser, live_server, smtp, in_process
) -> None:
    default_template()
    kelheim = factories.DistrictFactory()
    wohnsitz = ServiceFactory(name="eWohnsitz", slug="ewohnsitz")
    for name, key in TOWNS.items():
        authority = factories.AuthorityFactory(
            district=kelheim, name=f"Stadt {name}", key=key, code=f"G{key}", postal_code="93326"
        )
        slug = name.lower().replace(" ", "-")
        ContactAddress.objects.create(authority=authority, email=f"rathaus@{slug}.example")
    coordinator = factories.CoordinatorFactory(
        email="koordination@example.org", states=[kelheim.state]
    )
    _verify(coordinator)

    # The coordinator writes the campaign, previews it and sends it.
    coordination = browser.new_context(locale="de-DE", base_url=live_server.url)
    desk = coordination.new_page()
    login(desk, coordinator.email, factories.DEFAULT_PASSWORD)
    desk.goto("/flaechendeckung/kampagnen/neu/")
    assert_accessible(desk)
    desk.locator("#id_state").select_option(value=str(kelheim.state_id))
    desk.locator("#id_service").select_option(value=str(wohnsitz.pk))
    desk.locator("#id_audience").select_option("white_spots")
    desk.locator("#id_district").select_option(value=str(kelheim.pk))
    desk.locator("#id_subject").fill("{leistung} für {behoerde}")
    desk.locator("#id_body").fill(
        "Guten Tag,\n{einwohner} Einwohner warten auf {leistung}. Bis {frist}: {link}"
    )
    desk.locator("#id_deadline").fill("2026-12-20")
    desk.get_by_role("button", name="Weiter zur Vorschau").click()
    desk.wait_for_url(re.compile(r"/kampagnen/\d+/$"))
    desk.wait_for_selector("[data-testid=preview]")
    assert_accessible(desk)
    assert "eWohnsitz für Stadt Abensberg" in desk.inner_text("[data-testid=preview]")
    desk.get_by_role("button", name="Kampagne senden").click()
    desk.wait_for_selector("[data-testid=campaign-totals]")
    assert_accessible(desk)

    mail = _wait_for_mail(smtp, "rathaus@abensberg.example")[0]
    assert str(mail["Subject"]) == "eWohnsitz für Stadt Abensberg"
    link = re.search(r"https?://[^/\s]+(/flaechendeckung/k/[^\s]+/)", _body(mail))
    assert link is not None

    # The recipient follows the link: sign-up, with the authority waiting after confirmation.
    page.goto(link.group(1))
    page.wait_for_url(re.compile(r"/konto/signup/"))
    assert_accessible(page)
    page.locator("#id_first_name").fill("Klara")
    page.locator("#id_last_name").fill("Kämmerer")
    page.locator("#id_email").fill("kaemmerei@abensberg.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    confirm = _wait_for_mail(smtp, "kaemmerei@abensberg.example")[0]
    found = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", _body(confirm))
    assert found is not None
    page.goto(found.group(1))
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("[data-testid=signed-in-as]")
    page.goto(link.group(1))  # the same link now leads to joining the authority
    page.wait_for_selector("#id_message")
    assert_accessible(page)
    assert "Stadt Abensberg" in page.inner_text("main")
    page.locator("#id_message").fill("Kämmerei")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("text=wird von der Koordination geprüft")

    desk.goto("/konto/behoerde/antraege/")
    row = desk.get_by_role("row").filter(has_text="kaemmerei@abensberg.example")
    row.get_by_role("button", name="Bestätigen").click()
    desk.wait_for_selector("text=Keine offenen Anträge")

    # Approved staff: the link leads to the service, and they order it.
    page.goto(link.group(1))
    page.wait_for_url(re.compile(r"/leistungen/ewohnsitz/$"))
    page.locator('form[action$="/bestellungen/warenkorb/hinzufuegen/"] [type=submit]').click()
    page.wait_for_url(re.compile(r"/bestellungen/warenkorb/$"))
    page.locator("main a[href$='/bestellungen/kasse/']").click()
    page.wait_for_url(re.compile(r"/kasse/leistung/ewohnsitz/$"))
    page.locator("input[name=fachverfahren]").first.check()
    page.locator("#id_contact_name").fill("Erika Mustermann")
    page.locator("#id_contact_email").fill("digital@abensberg.example")
    page.locator("#id_contact_phone").fill("09443 9100")
    golive = (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d.%m.%Y")
    page.locator("#id_desired_golive").fill(golive)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kasse/pruefen/$"))
    page.locator("#id_terms_accepted").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kasse/bestaetigung/$"))
    assert wohnsitz.orders.filter(authority__key=TOWNS["Abensberg"]).exists()

    # The campaign page: Abensberg ordered, the others sent; the follow-up goes to them only.
    desk.goto("/flaechendeckung/kampagnen/")
    desk.get_by_role("link", name="{leistung} für {behoerde}").click()
    desk.wait_for_selector("[data-testid=campaign-totals]")
    assert_accessible(desk)
    steps = {
        key: desk.get_attribute(f"tr[data-authority='{key}']", "data-step")
        for key in TOWNS.values()
    }
    assert steps == {
        TOWNS["Abensberg"]: "ordered",
        TOWNS["Bad Abbach"]: "sent",
        TOWNS["Painten"]: "sent",
    }
    before = len(smtp.messages)
    desk.get_by_role("button", name=re.compile("Nachfassen")).click()
    desk.wait_for_selector("text=Nachfassung an die Behörden")
    _wait_for_mail(smtp, "rathaus@painten.example", count=2)
    _wait_for_mail(smtp, "rathaus@bad-abbach.example", count=2)
    follow_ups = [m for m in smtp.messages[before:] if str(m["Subject"]).startswith("Erinnerung")]
    assert sorted(str(m["To"]) for m in follow_ups) == [
        "rathaus@bad-abbach.example",
        "rathaus@painten.example",
    ]
    coordination.close()
