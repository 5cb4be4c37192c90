"""Responsibility as data, on the real Bavarian reference data (issue 14)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from catalog.models import Responsibility, Service, TaskTransfer
from catalog.opening import opening_service_offer_from_catalog
from catalog.responsibility import (
    is_responsible,
    responsibility_rebuild,
    responsible_authorities,
    responsible_authority_for,
)
from catalog.rules import service_order_blocker
from geo.importers import PROJECT_DATA_DIR
from geo.models import Authority, District, Municipality, State
from reports.coverage import coverage_for_state
from tests.factories import UserFactory
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db

DACHAU_CITY = "09174115"


@pytest.fixture
def bavaria(settings, stage_template) -> State:
    """Bavaria imported from the shipped CSVs and the catalog loaded, as `make run` does."""
    settings.DIGITALMARKT_DATA_DIR = PROJECT_DATA_DIR
    call_command("import_geodata", "--states", "09", stdout=StringIO())
    call_command("load_catalog", stdout=StringIO())
    state = State.objects.get(ags="09")
    # Opened as the demo opens it, so its authorities may order (catalog.opening).
    for service in Service.objects.filter(status=Service.Status.AVAILABLE):
        opening_service_offer_from_catalog(state=state, service=service)
    State.objects.filter(pk=state.pk).update(opened_at=timezone.now())
    state.refresh_from_db()
    return state


def counts(service: Service, state: State) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for kind in responsible_authorities(service, [state]).values_list("kind", flat=True):
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_bavarian_responsible_authorities_per_service(bavaria) -> None:
    services = {service.slug: service for service in Service.objects.all()}

    building = responsible_authorities(services["bauantrag"], [bavaria])
    assert building.count() == 125
    assert counts(services["bauantrag"], bavaria) == {
        "landratsamt": 71, "kreisfreie_stadt": 25, "gemeinde": 29,
    }  # fmt: skip
    grosse_kreisstaedte = Municipality.objects.filter(kind_code="67")
    assert grosse_kreisstaedte.count() == 29
    assert set(building.filter(kind="gemeinde").values_list("key", flat=True)) == set(
        grosse_kreisstaedte.values_list("ags", flat=True)
    )
    assert responsible_authorities(services["ewohnsitz"], [bavaria]).count() == 1385
    for slug in ("fuehrerschein", "aufenthalt-digital", "ewaffe"):
        assert responsible_authorities(services[slug], [bavaria]).count() == 96, slug
    # Every inhabitant exactly once, whoever serves them.
    for service in services.values():
        served = responsible_authorities(service, [bavaria]).aggregate(
            total=Sum("served_population")
        )
        assert served["total"] == 13_435_062, service.slug
    # Each exception carries its legal basis.
    rows = Responsibility.objects.filter(service=services["bauantrag"])
    assert rows.count() == 29
    assert all("GrKrV" in basis for basis in rows.values_list("legal_basis", flat=True))


def test_dachau_orders_the_building_service_and_the_district_needs_both(bavaria) -> None:
    building = Service.objects.get(slug="bauantrag")
    city = Authority.objects.get(code=f"G{DACHAU_CITY}")
    landratsamt = Authority.objects.get(code="L09174")
    dachau = Municipality.objects.get(ags=DACHAU_CITY)

    assert city.name == "Stadt Dachau"
    assert is_responsible(city, building)
    assert responsible_authority_for(building, dachau) == city
    city_staff = UserFactory(authority=city)
    assert service_order_blocker(city_staff, building) is None
    # A Gemeinde of the district is told who provides the service for its area.
    karlsfeld = Authority.objects.get(code="G09174126")
    message = service_order_blocker(UserFactory(authority=karlsfeld), building)
    assert message is not None and "Landratsamt Dachau" in message

    district = District.objects.get(ags="09174")
    RollinFactory(live=True, order__authority=landratsamt, order__service=building)
    figures = coverage_for_state(bavaria, services=[building]).district(building, district)
    assert (figures.responsible, figures.live, figures.is_full) == (2, 1, False)
    assert figures.population == district.population
    assert figures.population_live == district.population - dachau.population
    RollinFactory(live=True, order__authority=city, order__service=building)
    figures = coverage_for_state(bavaria, services=[building]).district(building, district)
    assert (figures.responsible, figures.live, figures.is_full) == (2, 2, True)
    assert figures.population_live == district.population


def test_api_shows_the_responsible_authorities_per_service(client, bavaria) -> None:
    response = client.get(reverse("api-coverage-state-detail", args=["09"]))
    rows = {row["service"]: row for row in response.json()["results"]}
    assert rows["bauantrag"]["responsible"] == 125
    assert rows["ewohnsitz"]["responsible"] == 1385
    assert rows["ewaffe"]["responsible"] == 96
    assert rows["bauantrag"]["population"] == 13_435_062
    assert rows["bauantrag"]["gebietsstand"] == "2024-12-31"


def test_transferred_building_task_adds_the_town_and_a_second_rebuild_changes_nothing(
    bavaria, tmp_path: Path
) -> None:
    building = Service.objects.get(slug="bauantrag")
    # Markt Meitingen (Landkreis Augsburg), an Einheitsgemeinde, as an example.
    listing = tmp_path / "uebertragen.csv"
    listing.write_text(
        "ags,service,legal_basis\n09772177,bauantrag,Verordnung vom 1. Januar 2026\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_task_transfers", str(listing), stdout=out)

    assert "1 neu" in out.getvalue()
    assert responsible_authorities(building, [bavaria]).count() == 126
    meitingen = Municipality.objects.get(ags="09772177")
    row = Responsibility.objects.get(service=building, municipality=meitingen)
    assert row.authority.name == "Markt Meitingen"
    assert "Art. 53 Abs. 2 BayBO" in row.legal_basis
    assert responsibility_rebuild(["09"]).created == 0
    call_command("import_task_transfers", str(listing), stdout=StringIO())
    assert TaskTransfer.objects.count() == 1


def test_malformed_transfer_list_names_file_and_row_and_changes_nothing(
    bavaria, tmp_path: Path
) -> None:
    listing = tmp_path / "uebertragen.csv"
    listing.write_text(
        "ags,service,legal_basis\n09772177,bauantrag,VO\n09999999,bauantrag,VO\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"uebertragen.csv, Zeile 3: keine aktuelle Gemeinde"):
        call_command("import_task_transfers", str(listing), stdout=StringIO())
    assert not TaskTransfer.objects.exists()
