"""The roll-in journey in a real browser with a real Celery worker on Redis.

Staff of Kelheim and a coordinator of Bavaria complete the people's items on the order page
(the contract as an uploaded PDF); the worker does the rest against the simulated Fachverfahren
served by the live server, until the order is live and its timeline shows the whole way.
"""

from __future__ import annotations

import pytest

from digitalmarkt.celery import app as celery_app
from rollin.models import Rollin
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import (
    PDF,
    assert_clean_stage_walk,
    open_manual_item,
    order_with_rollin,
)
from tests.rollin import worker_harness
from tests.rollin.worker_harness import start_worker, wait_until

# The harness's fixtures, for this module's tests.
worker_env = worker_harness.worker_env
workers = worker_harness.workers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _verify_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def when_open(page, rollin: Rollin, label: str):
    """Wait until the worker hands `label` to the people, then show it on the order page."""
    wait_until(
        lambda: (item := open_manual_item(rollin)) is not None and item.definition.label == label,
        timeout=45,
        what=f"„{label}“ to be open",
    )
    page.reload()
    return page.get_by_role("button", name=f"„{label}“ erledigen")


def submit(page, label: str) -> None:
    page.get_by_role("button", name=f"„{label}“ erledigen").click()
    page.wait_for_selector(f".messages :text('„{label}“ ist erledigt.')")


def complete(page, rollin: Rollin, label: str) -> None:
    when_open(page, rollin, label)
    submit(page, label)


def test_staff_and_coordinator_bring_an_order_live_with_the_worker(
    page, browser, live_server, workers, worker_env
) -> None:
    workers.append(start_worker(celery_app.conf.broker_url, name="journey", extra_env=worker_env))
    bavaria = factories.StateFactory()
    authority = factories.AuthorityFactory(name="Markt Essing", key="09273125", code="G09273125")
    staff = factories.StaffFactory(email="buergerbuero@essing.example", authority=authority)
    coordinator = factories.CoordinatorFactory(email="koordination@example.org", states=[bavaria])
    for user in (staff, coordinator):
        _verify_email(user)
    service = ServiceFactory(name="eWohnsitz", slug="ewohnsitz")
    order = order_with_rollin(authority=authority, service=service, placed_by=staff)
    rollin = Rollin.objects.get(order=order)
    url = f"/bestellungen/{order.number}/"

    office = browser.new_context(locale="de-DE", base_url=live_server.url)
    office.set_default_timeout(15_000)
    coord = office.new_page()
    login(coord, coordinator.email, factories.DEFAULT_PASSWORD)
    coord.goto(url)
    assert_accessible(coord)
    complete(coord, rollin, "Bestellung prüfen und freigeben")

    login(page, staff.email, factories.DEFAULT_PASSWORD)
    page.goto(url)
    when_open(page, rollin, "Unterschriebenen Nachnutzungsvertrag hochladen")
    assert_accessible(page)
    page.get_by_label("Dokument (PDF)").set_input_files(
        {"name": "nachnutzungsvertrag.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(page, "Unterschriebenen Nachnutzungsvertrag hochladen")

    when_open(coord, rollin, "Vertrag gegenzeichnen")
    assert coord.get_by_role("link", name="Dokument herunterladen").is_visible()
    submit(coord, "Vertrag gegenzeichnen")
    office.close()

    when_open(page, rollin, "Ansprechpersonen benennen")
    for role in (
        "Projektleitung",
        "Technische Ansprechperson",
        "Fachliche Ansprechperson",
        "Ansprechperson beim Hersteller des Fachverfahrens",
        "Datenschutzbeauftragte Person",
    ):
        page.get_by_label(f"{role}: Name").fill(f"Erika Muster – {role}")
        page.get_by_label(f"{role}: E-Mail").fill("it@essing.example")
    submit(page, "Ansprechpersonen benennen")

    # Anbindung, Konfiguration and the test submission: the worker's, over HTTP.
    for label in (
        "Eingang des Testantrags bestätigen",
        "Schulung bestätigen",
        "Wirkbetrieb freigeben",
    ):
        complete(page, rollin, label)

    wait_until(
        lambda: Rollin.objects.filter(pk=rollin.pk, status=Rollin.Status.LIVE).exists(),
        timeout=45,
        what="the order to go live",
    )
    page.reload()
    timeline = page.locator(".rollin-timeline")
    for step in (
        "Bestellt → Vertrag",
        "Kick-off → Anbindung",
        "Anbindung → Konfiguration",
        "Test → Schulung & Freigabe",
        "Schulung & Freigabe → Wirkbetrieb",
        "Testantrag senden",
    ):
        assert timeline.get_by_text(step).count() >= 1, step
    assert page.get_by_text("Im Wirkbetrieb seit").is_visible()
    assert_accessible(page)
    assert assert_clean_stage_walk(rollin)[-1] == "wirkbetrieb"
