"""The white-spot page: who has not ordered, what they leave uncovered, and that its totals
equal the coverage report's gap, counted here independently over the rows."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Invitation, User
from catalog.models import Service
from geo.models import Authority, State
from orders.models import Order
from reports.coverage import coverage_for_state, coverage_services
from rollin.models import Rollin
from tests import factories
from tests.dashboard.conftest import World, order_in
from tests.factories_rollin import RollinFactory, default_template
from tests.geo import geodata_files

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:white_spots")


def _municipality(world: World, district: Any, population: int, **kwargs: Any) -> Authority:
    return factories.AuthorityFactory(
        district=district,
        key=f"{district.ags}{Authority.objects.count() + 300:03d}",
        population=population,
        **kwargs,
    )


def _page(client: Any, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_lists_responsible_authorities_without_an_active_order(client, world) -> None:
    default_template()
    big = _municipality(world, world.kelheim, 20000, name="Großgemeinde")
    small = _municipality(world, world.regen, 800, name="Kleingemeinde")
    ordered = _municipality(world, world.kelheim, 5000, name="Bestellt")
    cancelled = _municipality(world, world.regen, 3000, name="Storniert")
    RollinFactory(order__authority=ordered, order__service=world.meldung, at="vertrag")
    RollinFactory(
        order__authority=cancelled, order__service=world.meldung, at="bestellt", status="cancelled"
    )
    Order.objects.filter(authority=cancelled).update(cancelled_at="2026-11-01T10:00:00Z")
    factories.StaffFactory(authority=small)
    Invitation.objects.create(
        email="buergermeister@example.org",
        authority=big,
        token="t" * 40,
        invited_by=world.coordinator,
    )
    client.force_login(world.coordinator)

    response = _page(client, service=world.meldung.pk, state=world.bavaria.pk)
    rows = list(response.context["page"])

    # Sorted by the inhabitants left uncovered, largest first; cancelled counts as not ordered.
    assert [a.name for a in rows] == ["Großgemeinde", "Storniert", "Kleingemeinde"]
    # The cancelled order was placed by a registered member of staff (the factory's).
    assert [a.is_registered for a in rows] == [False, True, True]
    assert rows[0].last_contact is not None and rows[2].last_contact is None
    html = response.content.decode()
    assert 'data-total="white">3<' in html
    # A campaign to exactly these white spots starts from here, service and area filled in.
    campaign = reverse("outreach:campaign_create")
    assert f"{campaign}?audience=white_spots&amp;service={world.meldung.pk}" in html
    form = client.get(f"{campaign}?service={world.meldung.pk}&state={world.bavaria.pk}")
    assert form.context["form"]["service"].value() == str(world.meldung.pk)


def test_a_coordinator_sees_only_the_authorities_of_their_states(client, world) -> None:
    _municipality(world, world.kelheim, 1000, name="Bayerische Gemeinde")
    _municipality(world, world.darmstadt, 1000, name="Hessische Gemeinde")
    client.force_login(world.coordinator)
    names = [a.name for a in _page(client, service=world.meldung.pk).context["page"]]
    assert names == ["Bayerische Gemeinde"]
    # Another state's id is not a choice: an error message, and no Hessian row.
    response = _page(client, service=world.meldung.pk, state=world.hesse.pk)
    assert response.context["form"].errors["state"]
    assert "Hessische Gemeinde" not in response.content.decode()


@pytest.mark.parametrize("role", ["staff", "viewer", "anonymous"])
def test_only_coordinators_open_the_page(client, world, role) -> None:
    if role == "staff":
        client.force_login(factories.StaffFactory())
    elif role == "viewer":
        client.force_login(factories.ViewerFactory(states=[world.bavaria]))
    response = client.get(URL)
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_filters_by_district_registration_and_search(client, world) -> None:
    registered = _municipality(world, world.kelheim, 900, name="Abensberg")
    _municipality(world, world.kelheim, 800, name="Painten")
    _municipality(world, world.regen, 700, name="Zwiesel")
    factories.StaffFactory(authority=registered)
    client.force_login(world.coordinator)

    def names(**params: Any) -> list[str]:
        page = _page(client, service=world.meldung.pk, **params).context["page"]
        return [a.name for a in page]

    assert names(district=world.kelheim.pk) == ["Abensberg", "Painten"]
    assert names(district=world.kelheim.pk, registered="no") == ["Painten"]
    assert names(registered="yes") == ["Abensberg"]
    assert names(q="zwie") == ["Zwiesel"]
    assert names(sort="name") == ["Abensberg", "Painten", "Zwiesel"]
    # A district outside the chosen region is refused with a message, not silently ignored.
    response = _page(
        client, service=world.meldung.pk, region=world.oberbayern.pk, district=world.kelheim.pk
    )
    assert response.context["form"].errors["district"]


def test_districts_one_order_away_are_called_out(client, world) -> None:
    _municipality(world, world.kelheim, 900, name="Letzte Gemeinde")
    order_in(world.kelheim, world.meldung, stage="vertrag")
    _municipality(world, world.regen, 700, name="Zwiesel")
    _municipality(world, world.regen, 600, name="Bodenmais")
    # Alone in its district (like a kreisfreie Stadt): always "one away", so not called out.
    _municipality(world, world.muenchen_land, 500, name="Allein")
    client.force_login(world.coordinator)
    response = _page(client, service=world.meldung.pk)
    away = response.context["one_away"]
    assert [(row.district_name, row.authority_name) for row in away] == [
        ("Kelheim", "Letzte Gemeinde")
    ]


def test_csv_and_xlsx_hold_every_white_spot_with_real_numbers(client, world) -> None:
    for n in range(55):  # more than one page: the export is not paginated
        _municipality(world, world.kelheim, 100 + n, name=f"Gemeinde {n:02d}")
    _municipality(world, world.kelheim, 7, name="=HYPERLINK(1)")
    client.force_login(world.coordinator)

    response = client.get(URL, {"service": world.meldung.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 56
    assert rows[1][0] == "Gemeinde 54" and rows[1][6] == "154"
    assert rows[-1][0] == "'=HYPERLINK(1)"  # formula injection neutralised

    response = client.get(URL, {"service": world.meldung.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == 57 + 2  # an empty row and the data attribution follow
    assert sheet.cell(row=2, column=7).value == 154  # a number, not a text
    assert client.get(URL, {"service": world.meldung.pk, "format": "pdf"}).status_code == 404


def test_query_count_does_not_grow_with_the_authorities(client, world) -> None:
    client.force_login(world.coordinator)
    for n in range(3):
        _municipality(world, world.kelheim, 100 + n)
    _page(client, service=world.meldung.pk)  # the session's first request loads the user
    with CaptureQueriesContext(connection) as few:
        _page(client, service=world.meldung.pk)
    for n in range(60):
        authority = _municipality(world, (world.kelheim, world.regen)[n % 2], 100 + n)
        if n % 3 == 0:
            factories.StaffFactory(authority=authority)
    # New authorities move the reference version: the first visit builds the filter's kept
    # lists anew (portal.choices), as the session's first request did before `few`.
    _page(client, service=world.meldung.pk)
    with CaptureQueriesContext(connection) as many:
        _page(client, service=world.meldung.pk)
    assert len(many) == len(few)
    assert len(many) <= 20


def _independent_count(state: State, service: Service) -> tuple[int, int, int]:
    """Responsible authorities (by the level rule the demo data carries), those with an
    active order, and the inhabitants of the not-live ones: counted row by row."""
    responsible = [
        a for a in Authority.objects.filter(state=state) if a.serves_level(service.level)
    ]
    active = set(
        Order.objects.filter(service=service, cancelled_at__isnull=True).values_list(
            "authority_id", flat=True
        )
    )
    live = set(
        Rollin.objects.filter(
            order__service=service, order__cancelled_at__isnull=True, status=Rollin.Status.LIVE
        ).values_list("order__authority_id", flat=True)
    )
    not_live_population = sum(a.population for a in responsible if a.pk not in live)
    return len(responsible), len([a for a in responsible if a.pk in active]), not_live_population


def test_on_the_demo_data_totals_equal_the_coverage_gap(client, settings, tmp_path) -> None:
    settings.DIGITALMARKT_DATA_DIR = geodata_files.write_csv(tmp_path / "de")
    settings.DIGITALMARKT_IMPORT_STATES = ["09"]
    default_template()
    call_command("setup_portal", stdout=io.StringIO())  # exactly the `make run` setup step
    bavaria = State.objects.get(ags="09")
    client.force_login(User.objects.get(email="koordination@demo.digitalmarkt.example"))
    services = list(coverage_services())
    assert len(services) == 5
    coverage = coverage_for_state(bavaria)
    for service in services:
        response = _page(client, service=service.pk, state=bavaria.pk)
        split = response.context["split"]
        responsible, with_order, not_live_population = _independent_count(bavaria, service)
        figures = coverage.total(service)

        assert split.white == responsible - with_order, service.slug
        assert response.context["page"].paginator.count == responsible - with_order
        gap = figures.population - figures.population_live
        assert split.population_white + split.population_in_rollin == gap, service.slug
        assert gap == not_live_population, service.slug
        assert split.population_gap == gap
        assert f'data-gap="population">{split.population_gap:,}<'.replace(",", ".") in (
            response.content.decode()
        )
        assert split.white + split.in_rollin == figures.responsible - figures.live
        assert with_order > 0  # the pilots ordered every service
