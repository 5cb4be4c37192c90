"""A Gebietsstand that changes: a merger ends a municipality, which then counts nowhere."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from catalog.models import Service
from catalog.responsibility import responsible_authorities
from geo.importers import DISTRICTS_CSV, MUNICIPALITIES_CSV, PROJECT_DATA_DIR
from geo.models import Authority, DataImport, Municipality, State
from orders.models import Order
from reports.coverage import coverage_for_state
from tests.factories import UserFactory
from tests.factories_rollin import RollinFactory
from tests.geo.geodata_files import write_checksums
from tests.reports.expected import expected

pytestmark = pytest.mark.django_db

MERGED, SUCCESSOR = "09174121", "09174115"  # Haimhausen into the Große Kreisstadt Dachau
BAVARIA = 13_435_062


@pytest.fixture
def bavaria(settings, stage_template) -> State:
    settings.DIGITALMARKT_DATA_DIR = PROJECT_DATA_DIR
    call_command("import_geodata", "--states", "09", stdout=StringIO())
    call_command("load_catalog", stdout=StringIO())
    return State.objects.get(ags="09")


def merged_folder(folder: Path) -> Path:
    """The shipped CSVs as a newer Gebietsstand would have them after the merger."""
    folder.mkdir()
    shutil.copy(PROJECT_DATA_DIR / DISTRICTS_CSV, folder / DISTRICTS_CSV)
    with (PROJECT_DATA_DIR / MUNICIPALITIES_CSV).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    merged = next(row for row in rows if row["ags"] == MERGED)
    successor = next(row for row in rows if row["ags"] == SUCCESSOR)
    successor["population"] = str(int(successor["population"]) + int(merged["population"]))
    with (folder / MUNICIPALITIES_CSV).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(row for row in rows if row["ags"] != MERGED)
    (folder / "gebietsstand.txt").write_text("2025-06-30\n", encoding="utf-8")
    return write_checksums(folder)


def import_newer(folder: Path) -> str:
    out = StringIO()
    call_command("import_geodata", "--states", "09", "--file", str(folder), stdout=out)
    return out.getvalue()


def test_merger_ends_the_municipality_and_nobody_is_counted_twice(
    bavaria, tmp_path, client, admin_user
) -> None:
    ewohnsitz = Service.objects.get(slug="ewohnsitz")
    building = Service.objects.get(slug="bauantrag")
    haimhausen = Authority.objects.get(code=f"G{MERGED}")
    dachau = Authority.objects.get(code=f"G{SUCCESSOR}")
    live = RollinFactory(live=True, order__authority=haimhausen, order__service=ewohnsitz)
    clerk = UserFactory(authority=haimhausen)

    output = import_newer(merged_folder(tmp_path / "2025q2"))

    assert "Gebietsstand: 30.06.2025" in output
    assert "2.055 Gemeinden mit 13.435.062 Einwohnern" in output
    assert f"{MERGED} Haimhausen (5.928 Einwohner, aufgegangen in {SUCCESSOR} Dachau?)" in output
    ended = Municipality.objects.get(ags=MERGED)
    assert str(ended.ended_on) == "2025-06-30"
    assert ended.successor is not None and ended.successor.ags == SUCCESSOR
    assert Municipality.current.count() == 2055
    assert DataImport.objects.first().gebietsstand.isoformat() == "2025-06-30"
    haimhausen.refresh_from_db()
    assert str(haimhausen.ended_on) == "2025-06-30"

    # Nobody counted twice, nobody served by an authority that serves no one any more.
    coverage = coverage_for_state(bavaria)
    for service in coverage.services:
        total = coverage.total(service)
        assert total.population == BAVARIA, service.slug
        served = responsible_authorities(service, [bavaria]).aggregate(
            total=Sum("served_population")
        )
        assert served["total"] == BAVARIA, service.slug
        assert total.as_dict() == expected(bavaria, service)
    assert coverage.total(ewohnsitz).responsible == 1384
    assert coverage.total(ewohnsitz).live == 0
    dachau_served = responsible_authorities(building, [bavaria]).filter(pk=dachau.pk)
    assert dachau_served.aggregate(total=Sum("served_population"))["total"] == 48337 + 5928

    # The operators see it under "Gebietsänderungen" with its order and user …
    client.force_login(admin_user)
    changelist = reverse("admin:orders_territorychange_changelist")
    page = client.get(changelist).content.decode()
    assert "Haimhausen" in page and "Karlsfeld" not in page
    detail = client.get(reverse("admin:orders_territorychange_change", args=[ended.pk]))
    assert live.order.number in detail.content.decode()
    assert clerk.email in detail.content.decode()

    # … and move both to the successor's authority with one action, in the audit trail.
    response = client.post(
        changelist, {"action": "move_to_successor", "_selected_action": [ended.pk]}, follow=True
    )
    notes = [str(m) for m in response.context["messages"]]
    # The clerk and the staff member who placed the order.
    assert "Haimhausen: 1 Bestellungen und 2 Nutzer übertragen." in notes, notes
    order = Order.objects.get(pk=live.order.pk)
    assert order.authority == dachau
    clerk.refresh_from_db()
    assert clerk.authority == dachau
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Order), object_pk=str(order.pk)
    ).latest("timestamp")
    assert entry.actor == admin_user and "authority" in entry.changes_dict
    assert coverage_for_state(bavaria, services=[ewohnsitz]).total(ewohnsitz).population_live == (
        48337 + 5928
    )

    # The same source again changes nothing.
    again = import_newer(tmp_path / "2025q2")
    assert "Nicht mehr im Gebietsstand" not in again
    assert "2.055 Gemeinden mit 13.435.062 Einwohnern" in again


def test_missing_municipality_without_a_gebietsstand_changes_nothing(bavaria, tmp_path) -> None:
    folder = merged_folder(tmp_path / "undated")
    (folder / "gebietsstand.txt").unlink()
    write_checksums(folder)

    with pytest.raises(Exception, match="Gebietsstand ist unbekannt"):
        import_newer(folder)
    assert Municipality.current.count() == 2056
    assert Municipality.objects.get(ags=SUCCESSOR).population == 48337


def test_workbook_gives_its_gebietsstand_and_ends_what_it_lacks(tmp_path, settings) -> None:
    """Small files: Essing merged into Ihrlerstein, as the workbook's header dates it."""
    from tests.geo import geodata_files as files

    folder = files.write_csv(tmp_path / "de")
    settings.DIGITALMARKT_DATA_DIR = folder
    call_command("import_geodata", "--states", "all", stdout=StringIO())
    essing_population = Municipality.objects.get(ags="09273121").population
    merged = [
        dataclasses.replace(g, population=g.population + essing_population)
        if g.ags == "09273133"
        else g
        for g in files.GEMEINDEN
        if g.ags != "09273121"
    ]
    workbook = files.write_workbook(tmp_path / "AuszugGV4QAktuell.xlsx", merged)

    out = StringIO()
    call_command(
        "import_geodata", "--source", "xlsx", "--file", str(workbook), "--states", "all",
        stdout=out,
    )  # fmt: skip

    assert "Gebietsstand: 31.12.2024" in out.getvalue()
    essing = Municipality.objects.get(ags="09273121")
    assert str(essing.ended_on) == "2024-12-31"
    assert essing.successor is not None and essing.successor.ags == "09273133"
    # The Verwaltungsgemeinschaft lives on with one member; nobody counts twice.
    assert Authority.objects.get(code="V092735215").population == 4337 + essing_population
    assert Authority.objects.get(code="V092735215").ended_on is None
    assert DataImport.objects.first().gebietsstand == essing.ended_on
