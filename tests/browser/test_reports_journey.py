"""A ministry viewer reads the coverage reports of Bavaria; the public reads the summary.

Every page visited is scanned by axe (WCAG 2.1 A/AA). The map is the real one: the 96
Bavarian districts from the boundary files the project ships (geo/data/de).
"""

from __future__ import annotations

import csv
import io

import pytest

from tests import factories
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories_reports import SECRET_EMAIL, SECRET_NAME, build_world
from tests.reports.expected import expected

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _verify_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _pct(value) -> str:
    return f"{value} %".replace(".", ",")


def test_ministry_viewer_reads_the_reports_and_the_public_the_summary(page) -> None:
    world = build_world()
    viewer = factories.ViewerFactory(email="ministerium@stmd.example", states=[world.state])
    _verify_email(viewer)
    ew, fs = world.municipal_service, world.district_service

    login(page, viewer.email, factories.DEFAULT_PASSWORD)
    # State overview: services × figures and the target.
    page.get_by_role("link", name="Berichte").first.click()
    page.wait_for_selector("h1:has-text('Versorgung in Bayern')")
    target = page.get_by_test_id("target-status").inner_text()
    assert "1 von 5 Leistungen sind flächendeckend" in target
    row = page.locator("table[data-table=leistungen] tbody tr", has_text="eWohnsitz")
    exp = expected(world.state, ew)
    assert row.locator("[data-col=share_population]").inner_text() == _pct(exp["share_population"])
    assert_accessible(page)

    # Service report: by region and district, sorted by a column header without JS.
    page.get_by_role("link", name="eWohnsitz").click()
    page.wait_for_selector("h1:has-text('eWohnsitz in Bayern')")
    assert page.locator("[data-figure=live]").inner_text() == str(exp["live"])
    assert_accessible(page)
    page.locator("table[data-table=kreise] thead").get_by_role(
        "link", name="Anteil Bevölkerung versorgt"
    ).click()
    page.wait_for_url("**sort=share_population**")
    keys = page.locator("table[data-table=kreise] tbody [data-col=ags]").all_inner_texts()
    assert keys == ["09274", "09273", "09162"]
    assert_accessible(page)

    # District drill-down: its authorities and their status; the municipality map.
    page.locator("table[data-table=kreise] tbody").get_by_role(
        "link", name="Landkreis Kelheim"
    ).click()
    page.wait_for_selector("h1:has-text('Versorgung in Landkreis Kelheim')")
    authority = page.locator("table[data-table=behoerden] tbody tr", has_text="Stadt Abensberg")
    assert "in Einführung" in authority.inner_text()
    assert page.locator("svg.report-map-svg path").count() == 24  # Kelheim's municipalities
    assert_accessible(page)

    # Map page: switch the service; the map and its table follow.
    page.goto("/berichte/land/09/karte/")
    page.wait_for_selector("h1:has-text('Karte: Führerschein in Bayern')")
    assert page.locator("svg.report-map-svg path").count() == 96
    assert_accessible(page)
    page.get_by_label("Leistung für die Karte").select_option(label="eWohnsitz")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_selector("h1:has-text('Karte: eWohnsitz in Bayern')")
    assert "service=ewohnsitz" in page.url  # bookmarkable
    titles = page.locator("svg.report-map-svg path title").all_text_contents()
    assert "München: 100,0 %" in titles
    assert page.locator("svg.report-map-svg path").count() == 96
    assert_accessible(page)

    # Download the table behind the map.
    with page.expect_download() as info:
        page.locator("[data-export=csv]").first.click()
    download = info.value
    assert download.suggested_filename == "karte-09-ewohnsitz-kreise.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read()), delimiter=";"))
    kelheim = next(r for r in rows if r["Schlüssel"] == "09273")
    assert kelheim["Behörden live"] == str(expected(world.state, ew, district_ags="09273")["live"])
    body = page.content()
    assert SECRET_EMAIL not in body and SECRET_NAME not in body
    logout(page)

    # The public summary, anonymously: figures and map, no drill-down.
    page.goto("/berichte/oeffentlich/")
    page.wait_for_selector("h1:has-text('Versorgung mit digitalen Verwaltungsleistungen')")
    assert page.locator("svg.report-map-svg path").count() == 96
    assert page.locator("svg.report-map-svg a").count() == 0
    assert_accessible(page)
    page.get_by_label("Leistung für die Karte").select_option(label="eWohnsitz")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url("**service=ewohnsitz**")
    assert page.get_by_role("heading", name="Karte: eWohnsitz").is_visible()
    public = page.locator("table[data-table=leistungen] tbody tr", has_text="Führerschein")
    assert public.locator("[data-col=is_full]").inner_text() == "ja"
    assert expected(world.state, fs)["is_full"]
    assert_accessible(page)

    # A coordinator of two states first chooses the state.
    coordinator = factories.CoordinatorFactory(
        email="koordination@example.org", states=[world.state, world.other_state]
    )
    _verify_email(coordinator)
    login(page, coordinator.email, factories.DEFAULT_PASSWORD)
    page.goto("/berichte/")
    page.wait_for_selector("h1:has-text('Versorgungsberichte')")
    assert_accessible(page)
    page.get_by_role("link", name="Baden-Württemberg").click()
    page.wait_for_selector("h1:has-text('Versorgung in Baden-Württemberg')")
    assert_accessible(page)
