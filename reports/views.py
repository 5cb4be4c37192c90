"""Report pages: look up the state/district through the access helpers, render selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from catalog.models import Service
from geo.models import State
from reports import charts, exports, maps, selectors
from reports import coverage as cov
from reports.access import (
    report_district_get,
    report_state_get,
    reports_required,
    state_visible_to,
)
from reports.projection import method_text


def _chosen_service(request: HttpRequest, services: list[Service]) -> Service | None:
    slug = request.GET.get("service", "")
    for service in services:
        if service.slug == slug:
            return service
    return services[0] if services else None


@reports_required
def state_overview(request: HttpRequest) -> HttpResponse:
    """Straight to the user's only state; a chooser when there are several."""
    states = list(state_visible_to(request.user))
    if len(states) == 1:
        return redirect("reports:state_report", ags=states[0].ags)
    return render(request, "reports/state_choose.html", {"states": states})


@reports_required
def state_report(request: HttpRequest, ags: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    overview = selectors.state_overview(state)
    export = exports.table_response(
        overview.table, request.GET.get("format", ""), f"versorgung-{state.ags}"
    )
    if export is not None:
        return export
    return render(
        request,
        "reports/state_report.html",
        {
            "state": state,
            "overview": overview,
            "method": method_text(overview.window_weeks),
        },
    )


@reports_required
def state_report_pdf(request: HttpRequest, ags: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    overview = selectors.state_overview(state)
    response = HttpResponse(exports.overview_pdf(overview), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="versorgung-{state.ags}.pdf"'
    return response


@reports_required
def service_report(request: HttpRequest, ags: str, slug: str) -> HttpResponse:
    state = report_state_get(request.user, ags)
    service = get_object_or_404(cov.coverage_services(), slug=slug)
    coverage = cov.coverage_for_state(state, services=[service])
    regions, districts = selectors.area_tables(coverage, service)
    figures = coverage.total(service)
    trend, points = selectors.trend_table(state, service, figures)
    tables = {table.slug: table for table in (regions, districts, trend)}
    fmt = request.GET.get("format", "")
    if fmt:
        table = tables.get(request.GET.get("table", "kreise"))
        if table is None:
            raise Http404
        filename = f"versorgung-{state.ags}-{service.slug}-{table.slug}"
        export = exports.table_response(table, fmt, filename)
        if export is None:
            raise Http404
        return export
    sort = districts.sort(request.GET.get("sort"))
    chart = charts.trend_chart(
        [(p.date, cov.percent(p.live, figures.responsible)) for p in points], state.target_date
    )
    return render(
        request,
        "reports/service_report.html",
        {
            "state": state,
            "service": service,
            "figures": figures,
            "regions": regions,
            "districts": districts,
            "trend": trend,
            "chart": chart,
            "sort": sort,
            "areas": selectors.map_for_service(coverage, service, link=True),
            "legend": maps.legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": _map_height(state),
        },
    )


def _map_height(state: State) -> float:
    projected = maps.district_map(state.ags)
    return projected.height if projected else 0


@reports_required
def district_report(request: HttpRequest, ags: str) -> HttpResponse:
    district = report_district_get(request.user, ags)
    services = list(cov.coverage_services())
    table = selectors.district_table(district, services)
    export = exports.table_response(
        table, request.GET.get("format", ""), f"versorgung-{slugify(district.ags)}"
    )
    if export is not None:
        return export
    return render(request, "reports/district_report.html", {"district": district, "table": table})


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
    export = exports.table_response(
        overview.table, request.GET.get("format", ""), f"versorgung-{state.ags}"
    )
    if export is not None:
        return export
    service = _chosen_service(request, overview.coverage.services)
    areas = districts = None
    if service is not None:
        areas = selectors.map_for_service(overview.coverage, service, link=False)
        districts = selectors.area_tables(overview.coverage, service, public=True)[1]
    return render(
        request,
        "reports/public_summary.html",
        {
            "states": states,
            "state": state,
            "overview": overview,
            "service": service,
            "areas": areas,
            "districts": districts,
            "legend": maps.legend(),
            "map_width": maps.MAP_WIDTH,
            "map_height": _map_height(state),
            "method": method_text(overview.window_weeks),
        },
    )
