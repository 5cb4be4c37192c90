"""A coordinator narrows the list to Kelheim's overdue Führerschein orders and holds them all."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from rollin.models import HistoryEntry
from tests import factories
from tests.browser.conftest import assert_accessible, login
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import RollinFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Landratsamt stellt die Fahrerlaubnis-Software um"


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _verify_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _authority(district, n: int):
    return factories.AuthorityFactory(district=district, key=f"{district.ags}{n:03d}")


def test_coordinator_holds_kelheims_overdue_fuehrerschein_orders(page) -> None:
    bavaria = factories.StateFactory()
    kelheim = factories.DistrictFactory()
    regen = factories.DistrictFactory(ags="09276", name="Regen", official_name="Regen")
    fuehrerschein = DistrictServiceFactory(slug="fuehrerschein", name="Führerschein")
    meldung = ServiceFactory(slug="meldebescheinigung", name="Meldebescheinigung")
    overdue = [
        RollinFactory(
            order__authority=_authority(kelheim, 101),
            order__service=fuehrerschein,
            due_at=_days_ago(3),
        ).order,
        RollinFactory(
            order__authority=_authority(kelheim, 102),
            order__service=fuehrerschein,
            at="vertrag",
            due_at=_days_ago(1),
        ).order,
    ]
    untouched = [
        RollinFactory(
            order__authority=_authority(kelheim, 103),
            order__service=fuehrerschein,
            due_at=_days_ago(-5),
        ).order,
        RollinFactory(
            order__authority=_authority(kelheim, 101), order__service=meldung, due_at=_days_ago(3)
        ).order,
        RollinFactory(
            order__authority=_authority(regen, 104),
            order__service=fuehrerschein,
            due_at=_days_ago(3),
        ).order,
    ]
    coordinator = factories.CoordinatorFactory(email="koordination@example.org", states=[bavaria])
    _verify_email(coordinator)

    login(page, coordinator.email, factories.DEFAULT_PASSWORD)
    page.get_by_role("link", name="Koordination").first.click()
    page.wait_for_selector("h1:has-text('Übersicht')")
    assert page.locator("[data-total=overdue]").inner_text() == "4"
    assert_accessible(page)

    page.get_by_role("link", name="Bestellungen", exact=True).click()
    page.wait_for_selector("h1:has-text('Bestellungen')")
    assert_accessible(page)
    page.get_by_label("Kreis", exact=True).select_option(label="Landkreis Kelheim")
    page.get_by_label("Leistung", exact=True).select_option(label="Führerschein")
    page.get_by_label("Status", exact=True).select_option(label="Überfällig")
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_selector("[data-testid=result-count]:has-text('2 Bestellungen')")
    assert "status=overdue" in page.url  # bookmarkable
    shown = set(
        page.locator("tbody tr[data-number]").evaluate_all(
            "rows => rows.map(r => r.dataset.number)"
        )
    )
    assert shown == {o.number for o in overdue}
    assert_accessible(page)

    page.locator("#bulk_action").select_option(label="Zurückstellen (mit Grund)")
    page.get_by_label("alle gefilterten Bestellungen").check()
    page.get_by_label("Grund (für Zurückstellen und Fortsetzen)").fill(REASON)
    page.get_by_role("button", name="Aktion ausführen").click()
    page.wait_for_selector("[data-job-status=done]")
    assert "2 von 2 Bestellungen erfolgreich" in page.get_by_test_id("bulk-status").inner_text()
    assert_accessible(page)

    for order in overdue:
        page.goto(f"/koordination/auftraege/{order.number}/")
        timeline = page.locator(".rollin-timeline")
        assert REASON in timeline.inner_text()
        assert "Zurückgestellt" in timeline.inner_text()
        assert_accessible(page)
    for order in untouched:
        assert not HistoryEntry.objects.filter(rollin__order=order, action="held").exists()

    page.get_by_role("link", name="Meine Aufgaben").first.click()
    page.wait_for_selector("h1:has-text('Meine Aufgaben')")
    assert_accessible(page)
