from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import CostItem, Fachverfahren, FundingProgramme, Prerequisite, Service
from geo.models import Level

FIVE = {"ewohnsitz", "fuehrerschein", "aufenthalt-digital", "ewaffe", "bauantrag"}


def _counts() -> tuple[int, ...]:
    return (
        Service.objects.count(),
        Prerequisite.objects.count(),
        Fachverfahren.objects.count(),
        FundingProgramme.objects.count(),
        CostItem.objects.count(),
        Service.prerequisites.through.objects.count(),
        Service.fachverfahren.through.objects.count(),
    )


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new() -> None:
    call_command("load_catalog", stdout=StringIO())
    first = _counts()
    out = StringIO()
    call_command("load_catalog", stdout=out)
    assert _counts() == first
    assert first[0] == 5
    assert "0 Leistungen neu, 0 aktualisiert, 5 unverändert" in out.getvalue()


@pytest.mark.django_db
def test_reload_keeps_what_operators_edited_and_refresh_takes_over_the_reference(catalog) -> None:
    service = catalog["ewaffe"]
    service.short_description = "Von der Betreiberin angepasst."
    service.status = Service.Status.PLANNED
    service.save()
    service.prerequisites.remove(Prerequisite.objects.get(code="fit-connect"))
    programme = FundingProgramme.objects.get()
    programme.rate_percent = Decimal("75.00")
    programme.save()

    call_command("load_catalog", stdout=StringIO())  # what every `make run` does

    service.refresh_from_db()
    programme.refresh_from_db()
    assert service.short_description == "Von der Betreiberin angepasst."
    assert service.status == Service.Status.PLANNED
    assert not service.prerequisites.filter(code="fit-connect").exists()
    assert programme.rate_percent == Decimal("75.00")

    out = StringIO()
    call_command("load_catalog", "--refresh", stdout=out)

    assert "0 Leistungen neu, 5 aktualisiert, 0 unverändert" in out.getvalue()
    service.refresh_from_db()
    programme.refresh_from_db()
    assert service.short_description.startswith("Waffenrechtliche Anträge")
    assert service.status == Service.Status.AVAILABLE
    assert service.prerequisites.filter(code="fit-connect").exists()
    assert programme.rate_percent == Decimal("80.00")


@pytest.mark.django_db
def test_reload_keeps_cost_amounts_edited_by_operators(catalog) -> None:
    item = catalog["ewaffe"].cost_items.get(label="ePayBL: Go-live")
    item.amount = Decimal("300.00")
    item.save()
    call_command("load_catalog", stdout=StringIO())
    item.refresh_from_db()
    assert item.amount == Decimal("300.00")


def test_the_five_services_have_complete_german_content(catalog) -> None:
    assert set(catalog) == FIVE
    for service in catalog.values():
        assert len(service.description) > 300, service.slug
        assert service.short_description and service.responsible_authority and service.origin
        assert service.description_en and service.name_en, service.slug
        assert service.status == Service.Status.AVAILABLE
        codes = set(service.prerequisites.values_list("code", flat=True))
        assert {"bundid", "bayernid"} <= codes, service.slug
        assert codes & {"osci-xta-dvdv", "fit-connect"}, f"{service.slug} needs a channel"
        assert service.fachverfahren.exists(), service.slug
        assert service.cost_items.exists(), service.slug
        assert service.funding_programme is not None


def test_levels_follow_the_responsible_authority(catalog) -> None:
    assert catalog["ewohnsitz"].level == Level.MUNICIPAL
    district = {slug for slug, s in catalog.items() if s.level == Level.DISTRICT}
    assert district == FIVE - {"ewohnsitz"}


def test_fee_charging_services_need_epaybl_and_carry_its_costs(catalog) -> None:
    # The residence registration is free of charge, so it needs no payment platform.
    assert not catalog["ewohnsitz"].prerequisites.filter(code="epaybl").exists()
    fuehrerschein = catalog["fuehrerschein"]
    assert fuehrerschein.prerequisites.filter(code="epaybl").exists()
    amounts = {(item.amount, item.recurrence) for item in fuehrerschein.cost_items.all()}
    assert amounts == {
        (Decimal("1239.98"), CostItem.Recurrence.ONE_OFF),
        (Decimal("267.00"), CostItem.Recurrence.ONE_OFF),
        (Decimal("281.85"), CostItem.Recurrence.YEARLY),
    }


def test_funding_programme_is_bavarian_with_its_rules(catalog) -> None:
    programme = catalog["bauantrag"].funding_programme
    assert programme.state.ags == "09"
    assert programme.rate_percent == Decimal("80.00")
    assert programme.special_need_rate_percent == Decimal("90.00")
    assert programme.application_before_contract
    assert programme.minimum_amount < programme.cap_amount


def test_interface_standards_match_the_services(catalog) -> None:
    standards = {
        slug: set(s.fachverfahren.values_list("interface_standard", flat=True))
        for slug, s in catalog.items()
    }
    assert standards["ewohnsitz"] == {"XMeld"}
    assert standards["bauantrag"] == {"XBau"}
    assert standards["aufenthalt-digital"] == {"XAusländer"}
    assert standards["ewaffe"] == {"XWaffe"}
