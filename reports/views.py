"""Report pages: look up the state/district through the access helpers, render selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify

from catalog.models import Service
from geo.models import State
from reports import charts, exports, maps, selectors
from reports import coverage as cov
from reports import federal as fed
from reports.access import (
    may_read_reports,
    report_district_get,
    report_state_get,
    reports_required,
    state_visible_to,
)
from reports.pace import pace_of_state
from reports.projection import DEFAULT_WINDOW_WEEKS, method_text
from reports.tables import Table, valid_sort
from rollin.figure_versions import LIFECYCLE, figures_versions

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest


@reports_required
def state_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the user's only state; a chooser when there are several."""
    states = list(state_visible_to(request.user))
    if len(states) == 1:
        return redirect("reports:state_report", ags=states[0].ags)
    return render(request, "reports/state_choose.html", {"states": states})


@reports_required
def state_report(request: AuthenticatedHttpRequest, ags: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    overview = selectors.state_overview(state)
    export = _export([overview.table], request, f"versorgung-{state.ags}")
    if export is not None:
        return export
    return render(
        request,
        "reports/state_report.html",
        {
            "state": state,
            "overview": overview,
            "method": method_text(overview.window_weeks),
            "pace": pace_of_state(
                state,
                [(row.service, row.figures, row.live_pace_start) for row in overview.services],
            ),
        },
    )


@reports_required
def state_report_pdf(request: AuthenticatedHttpRequest, ags: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    overview = selectors.state_overview(state)
    response = HttpResponse(exports.overview_pdf(overview), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="versorgung-{state.ags}.pdf"'
    return response


def _export(tables: list[Table], request: HttpRequest, filename: str) -> HttpResponse | None:
    """`?format=csv|xlsx&table=<slug>` of one of the page's tables; None for the HTML page.

    The first table is the default; an unknown table or format is a 404, never a wrong file.
    """
    fmt = request.GET.get("format", "")
    if not fmt:
        return None
    by_slug = {table.slug: table for table in tables}
    table = by_slug.get(request.GET.get("table", tables[0].slug))
    if table is None:
        raise Http404
    export = exports.table_response(table, fmt, f"{filename}-{table.slug}")
    if export is None:
        raise Http404
    return export


@reports_required
def service_report(request: AuthenticatedHttpRequest, ags: str, slug: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    service = get_object_or_404(cov.coverage_services(), slug=slug)
    coverage = cov.coverage_for_state(state, services=[service])
    regions, districts = selectors.area_tables(coverage, service)
    figures = coverage.total(service)
    events = cov.live_events(state, services=[service]).get(service.pk, [])
    trend, points = selectors.trend_table(service, figures, events)
    export = _export([districts, regions, trend], request, f"versorgung-{state.ags}-{service.slug}")
    if export is not None:
        return export
    # Sorting is plain links with query parameters: it works without JavaScript.
    sort = districts.sort(request.GET.get("sort"))
    region_sort = regions.sort(request.GET.get("rsort"))
    projection = selectors.service_projection(state, figures, events)
    chart = charts.trend_chart(
        [(p.date, cov.percent(p.live, figures.responsible)) for p in points],
        state.target_date,
        projection,
    )
    return render(
        request,
        "reports/service_report.html",
        {
            "state": state,
            "service": service,
            "figures": figures,
            "projection": projection,
            "method": method_text(DEFAULT_WINDOW_WEEKS),
            "regions": regions,
            "districts": districts,
            "trend": trend,
            "chart": chart,
            "sort": sort,
            "region_sort": region_sort,
            "areas": selectors.map_for_service(coverage, service, link=True),
            "legend": maps.legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": _map_height(state),
        },
    )


@reports_required
def map_report(request: AuthenticatedHttpRequest, ags: str) -> HttpResponse:
    """The district map of one service, chosen in a plain GET form (works without JS).

    The map and its table are rendered once per version of the state's lifecycle figures
    (rollin.figure_versions), service, sort and language; while that fragment is cached, a
    request aggregates nothing (the map is lazy)."""
    state = report_state_get(request.user, ags)
    services = list(cov.coverage_services())
    service, unknown = _service_choice(request, services)
    if service is None:
        raise Http404
    if request.GET.get("format"):
        districts = selectors.service_map(state, service).districts
        export = _export([districts], request, f"karte-{state.ags}-{service.slug}")
        assert export is not None  # a format was asked for
        return export
    sort = valid_sort(request.GET.get("sort"), selectors.DISTRICT_TABLE_KEYS)
    cache_seconds = settings.ROLLIN_FIGURES_CACHE_SECONDS
    return render(
        request,
        "reports/map_report.html",
        {
            "state": state,
            "services": services,
            "service": service,
            "unknown_service": unknown,
            "export_base": f"?service={service.slug}&",
            "map": SimpleLazyObject(lambda: selectors.service_map(state, service, sort=sort)),
            # Coverage moves with orders placed, gone live or cancelled, and the reference data.
            "cache_key": figures_versions([state.pk]).token(LIFECYCLE) if cache_seconds else "",
            "cache_seconds": cache_seconds,
            "sort": sort,
            "legend": maps.legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": _map_height(state),
        },
    )


def _service_choice(request: HttpRequest, services: list[Service]) -> tuple[Service | None, bool]:
    """The service of `?service=`; the first one (and True) when the slug is unknown."""
    slug = request.GET.get("service", "")
    chosen = next((service for service in services if service.slug == slug), None)
    if chosen is not None:
        return chosen, False
    return (services[0] if services else None), bool(slug)


def _map_height(state: State) -> float:
    projected = maps.district_map(state.ags)
    return projected.height if projected else 0


@reports_required
def district_report(request: AuthenticatedHttpRequest, ags: str) -> HttpResponse:
    district = report_district_get(request.user, ags)
    services = list(cov.coverage_services())
    service, unknown = _service_choice(request, services)
    report = selectors.district_report(district, services, service)
    tables = [report.figures, report.authorities]
    if report.municipalities is not None:
        tables.append(report.municipalities)
    export = _export(tables, request, f"versorgung-{slugify(district.ags)}")
    if export is not None:
        return export
    municipal_map = maps.municipality_map(district.ags)
    return render(
        request,
        "reports/district_report.html",
        {
            "district": district,
            "report": report,
            "services": services,
            "service": service,
            "unknown_service": unknown,
            "export_base": f"?service={service.slug}&" if service else "?",
            "areas": report.areas,
            "legend": maps.status_legend(selectors.map_status_labels(), report.areas or []),
            "map_width": maps.MAP_WIDTH,
            "map_height": municipal_map.height if municipal_map else 0,
        },
    )


def public_summary(request: HttpRequest) -> HttpResponse:
    """Open to everyone: figures per service and the map; no orders, no people."""
    states = list(State.objects.order_by("ags"))
    ags = request.GET.get("land", "09")
    state = next((s for s in states if s.ags == ags), None)
    if state is None:
        if states and "land" not in request.GET:
            state = states[0]
        else:
            raise Http404
    overview = selectors.state_overview(state, public=True)
    service, unknown = _service_choice(request, overview.coverage.services)
    tables = [overview.table]
    areas = districts = None
    if service is not None:
        areas = selectors.map_for_service(overview.coverage, service, link=False)
        districts = selectors.area_tables(overview.coverage, service, public=True)[1]
        tables.append(districts)
    export = _export(tables, request, f"versorgung-{state.ags}")
    if export is not None:
        return export
    return render(
        request,
        "reports/public_summary.html",
        {
            "states": states,
            "state": state,
            "overview": overview,
            "service": service,
            "unknown_service": unknown,
            "areas": areas,
            "districts": districts,
            "export_base": f"?land={state.ags}&service={service.slug if service else ''}&",
            "legend": maps.legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": _map_height(state),
            "method": method_text(overview.window_weeks),
        },
    )


def federal(request: HttpRequest) -> HttpResponse:
    """Open to everyone (and the federal ministry's page): the agreement's target per state."""
    overview = fed.federal_overview()
    visible = (
        {s.ags for s in state_visible_to(request.user)}  # type: ignore[arg-type]
        if may_read_reports(request.user)
        else set()
    )
    states = fed.states_table(
        overview, urls={ags: reverse("reports:state_report", args=[ags]) for ags in visible}
    )
    services = fed.services_table(overview)
    export = _export([states, services], request, "bund-laender")
    if export is not None:
        return export
    projected = maps.state_map()
    counts = fed.full_counts(overview)
    areas = None
    if projected is not None:
        areas = maps.colour_federal(
            projected,
            counts,
            {ags: fed.full_class(n) for ags, n in counts.items() if n is not None},
            {entry.ags: entry.name for entry in overview.states},
            {},
        )
    return render(
        request,
        "reports/federal.html",
        {
            "overview": overview,
            "states": states,
            "services": services,
            "areas": areas,
            "legend": maps.federal_legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": projected.height if projected else 0,
            "export_base": "?",
            "method": method_text(overview.window_weeks),
        },
    )
