"""Every figure the report pages, exports and the API show equals coverage computed by hand.

tests/reports/expected.py recomputes coverage in plain Python from the orders, their roll-in
history and the municipalities' populations; it shares nothing with reports.coverage but the
definitions. Each page is read back from its HTML, each export from its file, each API row
from its JSON, and compared figure by figure, for every service, area and trend date.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from geo.models import Authority, Municipality
from orders.models import Order
from reports.selectors import FIGURE_COLUMNS
from reports.tables import display
from tests import factories
from tests.factories_reports import build_world
from tests.reports import html
from tests.reports.expected import (
    authority_status,
    expected,
    municipality_status,
    projection_label,
)

pytestmark = pytest.mark.django_db

WINDOW_WEEKS = 8


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _assert_row(cells: dict[str, str], exp: dict[str, object], where: str) -> None:
    for column in FIGURE_COLUMNS:
        assert cells[column.key] == display(exp[column.key], column.kind), (where, column.key)


def _map_title(name: str, exp: dict[str, object]) -> str:
    if not exp["population"]:
        return f"{name}: keine zuständige Behörde"
    return f"{name}: {display(exp['share_population'], 'pct')}"


def _services(world):
    return [world.district_service, world.municipal_service]


def check_state_overview(client, world, bavaria_viewer) -> None:
    client.force_login(bavaria_viewer)
    page = client.get(reverse("reports:state_report", args=["09"])).content.decode()
    rows = html.table(page, "leistungen")
    assert set(rows) == {"eWohnsitz", "Führerschein"}  # the planned service is not reported
    today = timezone.localdate()
    window_start = _end_of_day(today - datetime.timedelta(weeks=WINDOW_WEEKS))
    full = 0
    for service in _services(world):
        exp = expected(world.state, service)
        full += bool(exp["is_full"])
        cells = rows[service.name]
        _assert_row(cells, exp, service.slug)
        label, reachable = projection_label(
            world.state, service, today=today, window_start=window_start
        )
        assert cells["projection"] == label
        assert cells["meets_target"] == ("ja" if reachable else "nein")
        assert cells["_url"] == reverse("reports:service_report", args=["09", service.slug])
    assert f"{full} von 5 Leistungen sind flächendeckend verfügbar" in page


def check_service_report(client, world, bavaria_viewer, which) -> None:
    service = getattr(world, which)
    client.force_login(bavaria_viewer)
    page = client.get(reverse("reports:service_report", args=["09", service.slug])).content.decode()
    total = expected(world.state, service)
    # The totals above the tables.
    shown = html.figures(page)
    for key in ("live", "responsible", "population", "population_live", "ordered", "in_progress"):
        assert shown[key] == display(total[key], "int"), key
    for key in ("share_live", "share_population"):
        assert shown[key] == display(total[key], "pct"), key
    assert shown["is_full"] == display(total["is_full"], "bool")
    today = timezone.localdate()
    label, reachable = projection_label(
        world.state,
        service,
        today=today,
        window_start=_end_of_day(today - datetime.timedelta(weeks=WINDOW_WEEKS)),
    )
    assert shown["projection"] == label
    assert shown["meets_target"] == ("ja" if reachable else "nein")
    # By region and by district, with the state total in the footer of both.
    regions = html.table(page, "regierungsbezirke")
    assert set(regions) == {r.name for r in world.regions} | {"Bayern"}
    for region in world.regions:
        _assert_row(
            regions[region.name], expected(world.state, service, region_ags=region.ags), region.ags
        )
    _assert_row(regions["Bayern"], total, "region footer")
    districts = html.table(page, "kreise")
    assert set(districts) == {str(d) for d in world.districts} | {"Bayern"}
    for district in world.districts:
        exp = expected(world.state, service, district_ags=district.ags)
        _assert_row(districts[str(district)], exp, district.ags)
        assert districts[str(district)]["_url"] == reverse(
            "reports:district_report", args=[district.ags]
        )
    _assert_row(districts["Bayern"], total, "district footer")
    # The map: the same share per district as the table.
    titles = html.map_titles(page)
    links = html.map_links(page)
    for district in world.districts:
        exp = expected(world.state, service, district_ags=district.ags)
        assert titles[district.ags] == _map_title(str(district), exp)
        assert links[district.ags] == reverse("reports:district_report", args=[district.ags])
    # The trend, week by week, from the history up to each date.
    trend = html.table(page, "verlauf")
    assert len(trend) == 27
    for date_text, cells in trend.items():
        day = datetime.datetime.strptime(date_text, "%d.%m.%Y").date()
        exp = expected(world.state, service, moment=_end_of_day(day))
        for key in ("live", "population_live"):
            assert cells[key] == display(exp[key], "int"), (date_text, key)
        assert cells["share_live"] == display(exp["share_live"], "pct"), date_text
        assert cells["share_population"] == display(exp["share_population"], "pct"), date_text


def check_map_page(client, world, bavaria_viewer, which) -> None:
    service = getattr(world, which)
    client.force_login(bavaria_viewer)
    url = reverse("reports:map_report", args=["09"]) + f"?service={service.slug}"
    page = client.get(url).content.decode()
    total = expected(world.state, service)
    districts = html.table(page, "kreise")
    titles = html.map_titles(page)
    for district in world.districts:
        exp = expected(world.state, service, district_ags=district.ags)
        _assert_row(districts[str(district)], exp, district.ags)
        assert titles[district.ags] == _map_title(str(district), exp)
    _assert_row(districts["Bayern"], total, "footer")
    assert (
        f"sind {display(total['share_population'], 'pct')} der Bevölkerung versorgt; "
        f"{total['live']} von {total['responsible']} zuständigen Behörden sind live." in page
    )
    # Every district of the map without an authority in this world is shown as such.
    without = len(titles) - len(world.districts)
    assert without > 0
    assert sum(1 for t in titles.values() if t.endswith("keine zuständige Behörde")) == without


def check_district_drill_down(client, world, bavaria_viewer, ags) -> None:
    client.force_login(bavaria_viewer)
    for service in _services(world):
        url = reverse("reports:district_report", args=[ags]) + f"?service={service.slug}"
        page = client.get(url).content.decode()
        figures = html.table(page, "leistungen")
        for each in _services(world):
            _assert_row(
                figures[each.name], expected(world.state, each, district_ags=ags), each.slug
            )
        authorities = html.table(page, "behoerden")
        in_district = Authority.objects.filter(district__ags=ags)
        assert set(authorities) == {a.name for a in in_district}
        for authority in in_district:
            cells = authorities[authority.name]
            assert cells["population"] == display(authority.population, "int")
            for each in _services(world):
                assert cells[f"service_{each.pk}"] == authority_status(authority, each), (
                    authority.name,
                    each.slug,
                )
        municipalities = html.table(page, "gemeinden")
        titles = html.map_titles(page)
        municipalities_in_district = Municipality.objects.filter(district__ags=ags)
        assert set(municipalities) == {m.name for m in municipalities_in_district}
        for municipality in municipalities_in_district:
            name, status = municipality_status(municipality, service)
            cells = municipalities[municipality.name]
            assert (cells["ags"], cells["authority"], cells["status"]) == (
                municipality.ags,
                name,
                status,
            )
            assert cells["population"] == display(municipality.population, "int")
            # The map names the status without the stage: "Abensberg: in Einführung".
            assert titles[municipality.ags] == f"{municipality.name}: {status.split(' (')[0]}"


def check_public_summary(client, world, which) -> None:
    service = getattr(world, which)
    for state in (world.state, world.other_state):
        url = reverse("reports:public_summary") + f"?land={state.ags}&service={service.slug}"
        page = client.get(url).content.decode()
        rows = html.table(page, "leistungen")
        for each in _services(world):
            _assert_row(rows[each.name], expected(state, each), f"{state.ags} {each.slug}")
        districts = html.table(page, "kreise")
        for district in {d for d in world.districts if d.state_id == state.pk}:
            exp = expected(state, service, district_ags=district.ags)
            _assert_row(districts[str(district)], exp, district.ags)
            assert districts[str(district)]["_url"] == ""  # no drill-down for the public
        _assert_row(districts[state.name], expected(state, service), "footer")
    page = client.get(reverse("reports:public_summary") + f"?service={service.slug}")
    titles = html.map_titles(page.content.decode())
    for district in world.districts:
        exp = expected(world.state, service, district_ags=district.ags)
        assert titles[district.ags] == _map_title(str(district), exp)


def _api_row_equals(row: dict, exp: dict[str, object], where: str) -> None:
    for key, value in exp.items():
        got = row[key]
        if key.startswith("share"):
            assert got == str(value), (where, key)
        else:
            assert got == value, (where, key)


def check_api_every_endpoint(client, world) -> None:
    states = (world.other_state, world.state)
    rows = client.get(reverse("api-coverage-state-list")).json()["results"]
    assert len(rows) == 4
    for row in rows:
        state = next(s for s in states if s.ags == row["state"])
        service = next(s for s in _services(world) if s.slug == row["service"])
        assert row["state_name"] == state.name and row["service_name"] == service.name
        _api_row_equals(row, expected(state, service), f"states {state.ags}")
    for state in states:
        rows = client.get(reverse("api-coverage-state-detail", args=[state.ags])).json()
        assert rows["count"] == 2
        for row in rows["results"]:
            service = next(s for s in _services(world) if s.slug == row["service"])
            _api_row_equals(row, expected(state, service), f"state {state.ags}")
    for service in _services(world):
        rows = client.get(reverse("api-coverage-service-detail", args=[service.slug])).json()
        assert [r["state"] for r in rows["results"]] == ["08", "09"]
        for row in rows["results"]:
            state = next(s for s in states if s.ags == row["state"])
            _api_row_equals(row, expected(state, service), f"service {service.slug}")
    regions = client.get(reverse("api-coverage-region-list", args=["09"])).json()["results"]
    assert len(regions) == 4
    for row in regions:
        service = next(s for s in _services(world) if s.slug == row["service"])
        exp = expected(world.state, service, region_ags=row["area"])
        _api_row_equals(row, exp, f"region {row['area']}")
    districts = client.get(reverse("api-coverage-district-list", args=["09"])).json()["results"]
    assert len(districts) == 6
    for row in districts:
        service = next(s for s in _services(world) if s.slug == row["service"])
        exp = expected(world.state, service, district_ags=row["area"])
        _api_row_equals(row, exp, f"district {row['area']}")
    filtered = client.get(reverse("api-coverage-district-list", args=["09"]) + "?service=ewohnsitz")
    assert {r["service"] for r in filtered.json()["results"]} == {"ewohnsitz"}


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    header, *rows = list(reader)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _xlsx(response) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    # The attribution under an empty row is not data.
    rows = rows[: rows.index((None,) * len(header))] if (None,) * len(header) in rows else rows
    return [dict(zip(header, row, strict=True)) for row in rows]


def _csv_value(value: object, kind: str) -> str:
    if kind == "bool":
        return "ja" if value else "nein"
    if kind == "pct":
        return str(value).replace(".", ",")
    return str(value)


def _xlsx_value(value: object, kind: str) -> object:
    if kind == "bool":
        return "ja" if value else "nein"
    if kind == "pct":
        # A fraction under a percentage format: 50,0 % is stored as 0.5.
        return float(Decimal(str(value)) / 100)
    return value


def check_every_table_export(client, world, bavaria_viewer, fmt) -> None:
    client.force_login(bavaria_viewer)
    read, value = (_csv, _csv_value) if fmt == "csv" else (_xlsx, _xlsx_value)

    def check(rows, key_column, expected_by_key) -> None:
        by_key = {str(row[key_column]): row for row in rows}
        assert set(by_key) == set(expected_by_key)
        for key, exp in expected_by_key.items():
            for column in FIGURE_COLUMNS:
                assert by_key[key][str(column.label)] == value(exp[column.key], column.kind), (
                    key,
                    column.key,
                )

    services = _services(world)
    overview = read(client.get(reverse("reports:state_report", args=["09"]) + f"?format={fmt}"))
    check(overview, "Leistung", {s.name: expected(world.state, s) for s in services})
    for service in services:
        base = reverse("reports:service_report", args=["09", service.slug]) + f"?format={fmt}"
        districts = read(client.get(base + "&table=kreise"))
        check(
            [r for r in districts if r["Schlüssel"]],
            "Schlüssel",
            {d.ags: expected(world.state, service, district_ags=d.ags) for d in world.districts},
        )
        regions = read(client.get(base + "&table=regierungsbezirke"))
        exp = {r.name: expected(world.state, service, region_ags=r.ags) for r in world.regions}
        exp["Bayern"] = expected(world.state, service)
        check(regions, "Regierungsbezirk", exp)
        trend = read(client.get(base + "&table=verlauf"))
        assert len(trend) == 27
        for row in trend:
            stichtag = row["Stichtag"]
            day = (
                stichtag.date()  # XLSX: a real date
                if isinstance(stichtag, datetime.datetime)
                else datetime.datetime.strptime(str(stichtag), "%d.%m.%Y").date()
            )
            exp_day = expected(world.state, service, moment=_end_of_day(day))
            assert row["Behörden live"] == value(exp_day["live"], "int")
            assert row["Anteil Bevölkerung versorgt"] == value(exp_day["share_population"], "pct")
        mapped = read(
            client.get(
                reverse("reports:map_report", args=["09"])
                + f"?service={service.slug}&format={fmt}&table=kreise"
            )
        )
        assert len(mapped) == len(districts)
        public = read(
            client.get(
                reverse("reports:public_summary")
                + f"?service={service.slug}&format={fmt}&table=kreise"
            )
        )
        check(
            [r for r in public if r["Schlüssel"]],
            "Schlüssel",
            {d.ags: expected(world.state, service, district_ags=d.ags) for d in world.districts},
        )
    district = reverse("reports:district_report", args=["09273"]) + f"?format={fmt}"
    check(
        read(client.get(district + "&table=leistungen")),
        "Leistung",
        {s.name: expected(world.state, s, district_ags="09273") for s in services},
    )
    authorities = read(client.get(district + "&table=behoerden"))
    assert {row["Behörde"] for row in authorities} == {
        a.name for a in Authority.objects.filter(district__ags="09273")
    }
    for row in authorities:
        authority = Authority.objects.get(name=row["Behörde"])
        for service in services:
            assert row[service.name] == authority_status(authority, service)
    municipalities = read(client.get(district + "&table=gemeinden&service=ewohnsitz"))
    for row in municipalities:
        municipality = Municipality.objects.get(ags=row["Gemeindeschlüssel"])
        assert (row["Zuständige Behörde"], row["Stand"]) == municipality_status(
            municipality, world.municipal_service
        )


# --- The tests: the hand-made world per page, and the roll-in demo through all pages at once ----


def test_state_overview(client, world, bavaria_viewer) -> None:
    check_state_overview(client, world, bavaria_viewer)


@pytest.mark.parametrize("which", ["municipal_service", "district_service"])
def test_service_report(client, world, bavaria_viewer, which) -> None:
    check_service_report(client, world, bavaria_viewer, which)


@pytest.mark.parametrize("which", ["municipal_service", "district_service"])
def test_map_page(client, world, bavaria_viewer, which) -> None:
    check_map_page(client, world, bavaria_viewer, which)


@pytest.mark.parametrize("ags", ["09162", "09273", "09274"])
def test_district_drill_down(client, world, bavaria_viewer, ags) -> None:
    check_district_drill_down(client, world, bavaria_viewer, ags)


@pytest.mark.parametrize("which", ["municipal_service", "district_service"])
def test_public_summary(client, world, which) -> None:
    check_public_summary(client, world, which)


def test_api_every_endpoint(client, world) -> None:
    check_api_every_endpoint(client, world)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_export(client, world, bavaria_viewer, fmt) -> None:
    check_every_table_export(client, world, bavaria_viewer, fmt)


def test_the_roll_in_demo_data(client, db, boundaries) -> None:
    """The demo of `make run` (`manage.py demo_rollin`): orders placed through the real
    services and walked through the roll-in on a simulated clock — histories this module did
    not choose — and every page, export and API figure still equals the count by hand."""
    world = build_world(extra_municipal_authorities=24, orders=False)
    boundaries()
    call_command("demo_rollin", orders=40, seed=11, stdout=io.StringIO())
    demo = Order.objects.filter(placed_by__email__endswith="@demo.digitalmarkt.example")
    statuses = set(demo.values_list("rollin__status", flat=True))
    assert "live" in statuses and len(statuses) >= 3, statuses
    viewer = factories.ViewerFactory(email="ministerium@stmd.example", states=[world.state])
    check_state_overview(client, world, viewer)
    for which in ("municipal_service", "district_service"):
        check_service_report(client, world, viewer, which)
        check_map_page(client, world, viewer, which)
        check_public_summary(client, world, which)
    for district in world.districts:
        check_district_drill_down(client, world, viewer, district.ags)
    check_api_every_endpoint(client, world)
    for fmt in ("csv", "xlsx"):
        check_every_table_export(client, world, viewer, fmt)
