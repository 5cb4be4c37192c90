"""Reads for the report pages: coverage turned into tables, target status and projections.

Each function runs a fixed number of aggregate queries, however many authorities and orders
the state has.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Responsibility, Service
from geo.models import Authority, District, Level, Municipality, State
from orders.models import Order
from portal.localized import localized_text
from reports import coverage as cov
from reports import pace
from reports.projection import DEFAULT_WINDOW_WEEKS, Projection, project_full_coverage
from reports.tables import Column, Table
from rollin.models import Rollin

FIGURE_COLUMNS = [
    Column("responsible", _("Zuständige Behörden"), "int"),
    Column("live", _("Behörden live"), "int"),
    Column("share_live", _("Anteil Behörden live"), "pct"),
    Column("population", _("Einwohner im Zuständigkeitsbereich"), "int"),
    Column("population_live", _("Einwohner versorgt"), "int"),
    Column("share_population", _("Anteil Bevölkerung versorgt"), "pct"),
    Column("is_full", _("Flächendeckend"), "bool"),
    Column("ordered", _("Bestellt"), "int"),
    Column("in_progress", _("In Einführung"), "int"),
]

# The district table's columns: the map page validates ?sort= against them before the
# table exists (the sort is part of the cached fragment's key).
DISTRICT_COLUMNS = [
    Column("area", _("Kreis")),
    Column("ags", _("Schlüssel")),
    Column("region", _("Regierungsbezirk")),
    *FIGURE_COLUMNS,
]
DISTRICT_TABLE_KEYS = [column.key for column in DISTRICT_COLUMNS]


@dataclass
class ServiceMap:
    """What the map page shows of one service in one state."""

    figures: cov.Figures
    districts: Table
    sort: str
    areas: list[Any] | None


def service_map(state: State, service: Service, *, sort: str = "") -> ServiceMap:
    """The state's districts for one service: its figures only, not every service's."""
    coverage = cov.coverage_for_state(state, services=[service])
    districts = area_tables(coverage, service)[1]
    return ServiceMap(
        figures=coverage.total(service),
        districts=districts,
        sort=districts.sort(sort),
        areas=map_for_service(coverage, service, link=True),
    )


@dataclass
class ServiceStatus:
    service: Service
    figures: cov.Figures
    projection: Projection
    live_pace_start: int = 0  # authorities live at the start of the pace's window


@dataclass
class StateOverview:
    state: State
    coverage: cov.StateCoverage
    services: list[ServiceStatus]
    table: Table
    window_weeks: int
    today: datetime.date

    @property
    def full_count(self) -> int:
        return sum(1 for status in self.services if status.figures.is_full)

    @property
    def target_met(self) -> bool:
        return self.full_count >= self.state.target_services


def service_projection(
    state: State,
    figures: cov.Figures,
    events: list[tuple[datetime.date, int, int]],
    *,
    window_weeks: int = DEFAULT_WINDOW_WEEKS,
) -> Projection:
    today = timezone.localdate()
    window_start = today - datetime.timedelta(weeks=window_weeks)
    before = cov.trend_points(events, [window_start])[0].live
    return _projection(figures, before, state=state, today=today, window_weeks=window_weeks)


def _projection(
    figures: cov.Figures,
    before: int,
    *,
    state: State,
    today: datetime.date,
    window_weeks: int,
) -> Projection:
    return project_full_coverage(
        responsible=figures.responsible,
        live=figures.live,
        live_window_start=before,
        window_weeks=window_weeks,
        today=today,
        target_date=state.target_date,
    )


def state_overview(
    state: State,
    *,
    window_weeks: int = DEFAULT_WINDOW_WEEKS,
    public: bool = False,
) -> StateOverview:
    """The state's coverage per service with its projection. The projection needs only the
    live count at the window's start (one sum in the database), not the whole live history,
    which only the PDF draws (pdf_figures)."""
    today = timezone.localdate()
    coverage = cov.coverage_for_state(state)
    window_start = today - datetime.timedelta(weeks=window_weeks)
    pace_start = pace.window_start(today)
    live_on = cov.live_on_days([state], coverage.services, [window_start, pace_start])
    statuses = []
    table = Table(
        slug="leistungen",
        caption=_("Versorgung je Leistung in %(state)s") % {"state": state.name},
        columns=[
            Column("service", _("Leistung")),
            Column("level", _("Ebene")),
            *FIGURE_COLUMNS,
            Column("projection", _("Flächendeckend voraussichtlich")),
            Column("meets_target", _("Ziel erreichbar"), "bool"),
        ],
    )
    for service in coverage.services:
        figures = coverage.total(service)
        before = live_on[window_start].get((service.pk, state.pk), 0)
        projection = _projection(
            figures, before, state=state, today=today, window_weeks=window_weeks
        )
        statuses.append(
            ServiceStatus(
                service=service,
                figures=figures,
                projection=projection,
                live_pace_start=live_on[pace_start].get((service.pk, state.pk), 0),
            )
        )
        url_name = "reports:public_summary" if public else "reports:service_report"
        url = (
            f"{reverse(url_name)}?land={state.ags}&service={service.slug}"
            if public
            else reverse(url_name, args=[state.ags, service.slug])
        )
        table.rows.append(
            {
                "service": service.display_name,
                "service_url": url,
                "level": service.get_level_display(),
                **figures.as_dict(),
                "projection": projection.label,
                "meets_target": projection.meets_target,
            }
        )
    return StateOverview(
        state=state,
        coverage=coverage,
        services=statuses,
        table=table,
        window_weeks=window_weeks,
        today=today,
    )


def area_tables(
    coverage: cov.StateCoverage, service: Service, *, public: bool = False
) -> tuple[Table, Table]:
    """The service's coverage by region and by district (rows link to the district report)."""
    regions = Table(
        slug="regierungsbezirke",
        caption=_("%(service)s nach Regierungsbezirk") % {"service": service.display_name},
        columns=[Column("area", _("Regierungsbezirk")), *FIGURE_COLUMNS],
    )
    for region in coverage.regions:
        regions.rows.append({"area": region.name, **coverage.region(service, region).as_dict()})
    regions.footer.append({"area": coverage.state.name, **coverage.total(service).as_dict()})
    districts = Table(
        slug="kreise",
        caption=_("%(service)s nach Kreis") % {"service": service.display_name},
        columns=list(DISTRICT_COLUMNS),
    )
    region_names: dict[int | None, str] = {region.pk: region.name for region in coverage.regions}
    for district in coverage.districts:
        row: dict[str, Any] = {
            "area": str(district),
            "ags": district.ags,
            "region": region_names.get(district.region_id, ""),
            **coverage.district(service, district).as_dict(),
        }
        if not public:
            row["area_url"] = reverse("reports:district_report", args=[district.ags])
        districts.rows.append(row)
    districts.footer.append({"area": coverage.state.name, **coverage.total(service).as_dict()})
    return regions, districts


def trend_table(
    service: Service,
    figures: cov.Figures,
    events: list[tuple[datetime.date, int, int]],
    *,
    weeks: int = 26,
) -> tuple[Table, list[cov.TrendPoint]]:
    """Weekly coverage of the last `weeks` weeks, from the roll-in history (`live_events`)."""
    today = timezone.localdate()
    points = cov.trend_points(events, cov.weekly_dates(today, weeks))
    table = Table(
        slug="verlauf",
        caption=_("Verlauf: %(service)s, wöchentlich") % {"service": service.display_name},
        columns=[
            Column("date", _("Stichtag"), "date"),
            Column("live", _("Behörden live"), "int"),
            Column("share_live", _("Anteil Behörden live"), "pct"),
            Column("population_live", _("Einwohner versorgt"), "int"),
            Column("share_population", _("Anteil Bevölkerung versorgt"), "pct"),
        ],
    )
    for point in points:
        table.rows.append(
            {
                "date": point.date,
                "live": point.live,
                "share_live": cov.percent(point.live, figures.responsible),
                "population_live": point.population_live,
                "share_population": cov.percent(point.population_live, figures.population),
            }
        )
    return table, points


# --- District drill-down --------------------------------------------------------------------

STATUS_LABELS = {
    "live": _("live"),
    "in_progress": _("in Einführung"),
    "on_hold": _("zurückgestellt"),
    "not_ordered": _("nicht bestellt"),
    "not_responsible": _("nicht zuständig"),
}
# Only on the municipality map: a boundary whose municipality is not in the database.
NO_DATA_LABEL = _("keine Angabe")


def map_status_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    labels["no_data"] = str(NO_DATA_LABEL)
    return labels


@dataclass
class DistrictReport:
    district: District
    figures: Table
    authorities: Table
    # The chosen service's municipalities: table and map areas (None without boundaries).
    service: Service | None
    municipalities: Table | None
    areas: list[Any] | None


def district_report(
    district: District, services: list[Service], service: Service | None
) -> DistrictReport:
    """Figures per service, the authorities' status and, for `service`, each municipality.

    A fixed number of queries: the state's coverage (five), authorities, orders, municipalities.
    """
    coverage = cov.coverage_for_state(district.state, services=services)
    figures = Table(
        slug="leistungen",
        caption=_("Versorgung je Leistung in %(district)s") % {"district": district},
        columns=[Column("service", _("Leistung")), Column("level", _("Ebene")), *FIGURE_COLUMNS],
    )
    for each in services:
        figures.rows.append(
            {
                "service": each.name,
                "service_url": reverse(
                    "reports:service_report", args=[district.state.ags, each.slug]
                ),
                "level": each.get_level_display(),
                **coverage.district(each, district).as_dict(),
            }
        )
    authorities = list(
        Authority.objects.filter(district=district, ended_on__isnull=True)
        .only("id", "name", "kind", "is_municipal_level", "is_district_level", "population")
        .order_by("-is_district_level", "name", "code")
    )
    status_of = _order_status(district)
    responsibility = district_responsibility(district, services, authorities)
    report = DistrictReport(
        district=district,
        figures=figures,
        authorities=_authority_table(
            district, services, authorities, status_of, responsibility.responsible
        ),
        service=service,
        municipalities=None,
        areas=None,
    )
    if service is not None:
        by_pk = {authority.pk: authority for authority in authorities}
        by_pk.update(responsibility.outside)
        report.municipalities, keys = _municipality_table(
            district, service, by_pk, status_of, responsibility
        )
        names = {row["ags"]: row["municipality"] for row in report.municipalities.rows}
        report.areas = _municipality_areas(district, keys, names)
    return report


@dataclass
class DistrictResponsibility:
    """Who is responsible in one district, per service, from the responsibility table."""

    # (service, municipality) → authority, where the level rule does not hold
    exceptions: dict[tuple[int, int], int]
    # service → the district's authorities responsible for it somewhere
    responsible: dict[int, set[int]]
    # exception authorities that sit in another district (rare: an operator's override)
    outside: dict[int, Authority]
    # the district's current municipalities: (id, ags, name, population, municipal and
    # district authority id), by name — read once for the responsibility and the table
    places: list[tuple[int, str, str, int, int | None, int | None]]


def district_responsibility(
    district: District, services: list[Service], authorities: list[Authority]
) -> DistrictResponsibility:
    """Two queries: the district's exception rows and its municipalities' level authorities.

    `authorities` are the district's current ones (with their level flags), already read.
    """
    rows = Responsibility.objects.filter(
        municipality__district=district, municipality__ended_on__isnull=True, service__in=services
    ).select_related("authority")
    exceptions: dict[tuple[int, int], int] = {}
    outside: dict[int, Authority] = {}
    for row in rows:
        exceptions[(row.service_id, row.municipality_id)] = row.authority_id
        if row.authority.district_id != district.pk:
            outside[row.authority_id] = row.authority
    places: list[tuple[int, str, str, int, int | None, int | None]] = list(
        Municipality.current.filter(district=district)
        .values_list(
            "id", "ags", "name", "population", "municipal_authority_id", "district_authority_id"
        )
        .order_by("name", "ags")
    )
    flagged: dict[str, set[int]] = {
        Level.MUNICIPAL: {a.pk for a in authorities if a.is_municipal_level},
        Level.DISTRICT: {a.pk for a in authorities if a.is_district_level},
    }
    responsible: dict[int, set[int]] = {}
    for service in services:
        serving: dict[int, int] = defaultdict(int)  # authority → municipalities it keeps
        served_by_level: dict[int, int] = defaultdict(int)
        for place in places:
            default = place[4] if service.level == Level.MUNICIPAL else place[5]
            if default is None:
                continue
            served_by_level[default] += 1
            authority = exceptions.get((service.pk, place[0]), default)
            serving[authority] += 1
        ids = {
            authority
            for authority in flagged[service.level]
            # No recorded territory keeps the level rule; a whole area given away does not.
            if served_by_level.get(authority, 0) == 0 or serving.get(authority, 0) > 0
        }
        ids |= {a for (s, _m), a in exceptions.items() if s == service.pk}
        responsible[service.pk] = ids
    return DistrictResponsibility(
        exceptions=exceptions, responsible=responsible, outside=outside, places=places
    )


def _order_status(district: District) -> dict[tuple[int, int], tuple[str, str]]:
    """(authority, service) → (roll-in status, stage label) of the active orders: one query."""
    orders = (
        Order.objects.filter(authority__district=district, cancelled_at__isnull=True)
        .values_list(
            "authority_id",
            "service_id",
            "rollin__status",
            "rollin__stage__label",
            "rollin__stage__label_en",
        )
        .order_by()
    )
    return {
        (authority_id, service_id): (status or "", localized_text(label or "", label_en or ""))
        for authority_id, service_id, status, label, label_en in orders
    }


def _authority_table(
    district: District,
    services: list[Service],
    authorities: list[Authority],
    status_of: dict[tuple[int, int], tuple[str, str]],
    responsible: dict[int, set[int]],
) -> Table:
    """The district's authorities and their status per service; no people, no order data."""
    table = Table(
        slug="behoerden",
        caption=_("Behörden in %(district)s und ihr Stand je Leistung") % {"district": district},
        columns=[
            Column("authority", _("Behörde")),
            Column("kind", _("Art")),
            Column("population", _("Einwohner im Zuständigkeitsbereich"), "int"),
            *[Column(f"service_{service.pk}", service.display_name) for service in services],
        ],
    )
    for authority in authorities:
        row: dict[str, Any] = {
            "authority": authority.name,
            "kind": authority.get_kind_display(),
            "population": authority.population,
        }
        for service in services:
            row[f"service_{service.pk}"] = status_label(
                *authority_status(
                    authority,
                    service,
                    status_of,
                    responsible=authority.pk in responsible.get(service.pk, set()),
                )
            )
        table.rows.append(row)
    return table


def authority_status(
    authority: Authority | None,
    service: Service,
    status_of: dict[tuple[int, int], tuple[str, str]],
    *,
    responsible: bool,
) -> tuple[str, str]:
    """(status key of STATUS_LABELS, stage label) of the authority for the service."""
    if authority is None or not responsible:
        return "not_responsible", ""
    status, stage = status_of.get((authority.pk, service.pk), ("", ""))
    if not status:
        return "not_ordered", ""
    if status == Rollin.Status.LIVE:
        return "live", ""
    if status == Rollin.Status.ON_HOLD:
        return "on_hold", stage
    return "in_progress", stage


def status_label(key: str, stage: str) -> str:
    label = str(STATUS_LABELS[key])
    return f"{label} ({stage})" if stage else label


def _municipality_table(
    district: District,
    service: Service,
    authorities: dict[int, Authority],
    status_of: dict[tuple[int, int], tuple[str, str]],
    responsibility: DistrictResponsibility,
) -> tuple[Table, dict[str, str]]:
    """Each municipality with the authority responsible for `service` there and its status."""
    municipal = service.level == Level.MUNICIPAL
    table = Table(
        slug="gemeinden",
        caption=_("Gemeinden in %(district)s: %(service)s")
        % {"district": district, "service": service.display_name},
        columns=[
            Column("municipality", _("Gemeinde")),
            Column("ags", _("Gemeindeschlüssel")),
            Column("population", _("Einwohner"), "int"),
            Column("authority", _("Zuständige Behörde")),
            Column("status", _("Stand")),
        ],
    )
    keys: dict[str, str] = {}
    for pk, ags, name, population, municipal_id, district_id in responsibility.places:
        default_id = municipal_id if municipal else district_id
        authority_id = responsibility.exceptions.get((service.pk, pk), default_id)
        authority = authorities.get(authority_id) if authority_id is not None else None
        key, stage = authority_status(authority, service, status_of, responsible=True)
        keys[ags] = key
        table.rows.append(
            {
                "municipality": name,
                "ags": ags,
                "population": population,
                "authority": authority.name if authority else "",
                "status": status_label(key, stage),
            }
        )
    return table, keys


def _municipality_areas(
    district: District, keys: dict[str, str], names: dict[str, str]
) -> list[Any] | None:
    from reports import maps

    projected = maps.municipality_map(district.ags)
    if projected is None or not projected.shapes:
        return None
    return maps.colour_status(projected, keys, names, map_status_labels())


def map_for_service(
    coverage: cov.StateCoverage, service: Service, *, link: bool
) -> list[Any] | None:
    """The state's districts coloured by population share covered (None without boundaries)."""
    from reports import maps

    projected = maps.district_map(coverage.state.ags)
    if projected is None:
        return None
    shares: dict[str, Any] = {}
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    for district in coverage.districts:
        figures = coverage.district(service, district)
        shares[district.ags] = figures.share_population if figures.population else None
        names[district.ags] = str(district)
        if link:
            urls[district.ags] = reverse("reports:district_report", args=[district.ags])
    return maps.colour(projected, shares, names, urls)
