"""Read-only coverage JSON for open data. Public (AllowAny), throttled and paginated by the
project defaults (REST_FRAMEWORK in settings); the rows come from the same coverage
computation as the pages. Schema: /api/schema/ (OpenAPI 3, linked from the public summary)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from catalog.models import Service
from geo.models import State
from geo.selectors import current_gebietsstand
from reports import coverage as cov
from reports.federal import FederalState, federal_overview
from reports.serializers import (
    AreaCoverageSerializer,
    FederalStateSerializer,
    StateCoverageSerializer,
)

if TYPE_CHECKING:
    from rest_framework.request import Request


def _row(state: State, service: Service, figures: cov.Figures) -> dict[str, Any]:
    return {
        "state": state.ags,
        "state_name": state.name,
        "service": service.slug,
        "service_name": service.name,
        "level": service.level,
        **figures.as_dict(),
    }


def _services(request: Request) -> list[Service] | None:
    slug = request.query_params.get("service")
    if not slug:
        return None
    return list(cov.coverage_services().filter(slug=slug))


SERVICE_PARAM = OpenApiParameter("service", str, description="Nur diese Leistung (Kürzel)")


class _CoverageList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = StateCoverageSerializer

    def rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    # DRF lists any sequence; its stubs ask for a QuerySet. The rows are computed, not queried.
    def get_queryset(self) -> list[dict[str, Any]]:  # type: ignore[override]
        rows = self.rows()
        # The catalog is the same API: each row links to its service there.
        links = {
            slug: self.request.build_absolute_uri(reverse("api-service-detail", args=[slug]))
            for slug in {row["service"] for row in rows}
        }
        gebietsstand = current_gebietsstand()
        for row in rows:
            row["service_url"] = links[row["service"]]
            row["gebietsstand"] = gebietsstand
        return rows


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_states_list",
        summary="Versorgung je Land und Leistung",
        parameters=[SERVICE_PARAM],
    )
)
class StateCoverageList(_CoverageList):
    def rows(self) -> list[dict[str, Any]]:
        states = list(State.objects.order_by("ags"))
        services = _services(self.request)
        if services is None:
            services = list(cov.coverage_services())
        # Totals per state are all this list shows: no district breakdown is built.
        totals = cov.coverage_totals_for_states(states, services)
        return [_row(state, s, totals[(s.pk, state.pk)]) for state in states for s in services]


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_state_services",
        summary="Versorgung eines Landes je Leistung",
        parameters=[SERVICE_PARAM],
    )
)
class StateCoverageDetail(_CoverageList):
    def rows(self) -> list[dict[str, Any]]:
        state = get_object_or_404(State, ags=self.kwargs["ags"])
        coverage = cov.coverage_for_state(state, services=_services(self.request))
        return [_row(state, s, coverage.total(s)) for s in coverage.services]


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_state_regions",
        summary="Versorgung je Regierungsbezirk und Leistung",
        parameters=[SERVICE_PARAM],
    )
)
class RegionCoverageList(_CoverageList):
    serializer_class = AreaCoverageSerializer

    def rows(self) -> list[dict[str, Any]]:
        state = get_object_or_404(State, ags=self.kwargs["ags"])
        coverage = cov.coverage_for_state(state, services=_services(self.request))
        return [
            {"area": r.ags, "area_name": r.name, **_row(state, s, coverage.region(s, r))}
            for r in coverage.regions
            for s in coverage.services
        ]


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_state_districts",
        summary="Versorgung je Kreis und Leistung",
        parameters=[SERVICE_PARAM],
    )
)
class DistrictCoverageList(_CoverageList):
    serializer_class = AreaCoverageSerializer

    def rows(self) -> list[dict[str, Any]]:
        state = get_object_or_404(State, ags=self.kwargs["ags"])
        coverage = cov.coverage_for_state(state, services=_services(self.request))
        return [
            {"area": d.ags, "area_name": str(d), **_row(state, s, coverage.district(s, d))}
            for d in coverage.districts
            for s in coverage.services
        ]


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_service_states",
        summary="Versorgung einer Leistung je Land",
    )
)
class ServiceCoverageDetail(_CoverageList):
    def rows(self) -> list[dict[str, Any]]:
        service = get_object_or_404(cov.coverage_services(), slug=self.kwargs["slug"])
        states = list(State.objects.order_by("ags"))
        totals = cov.coverage_totals_for_states(states, [service])
        return [_row(state, service, totals[(service.pk, state.pk)]) for state in states]


def _federal_row(entry: FederalState) -> dict[str, Any]:
    """A state's federal figures; a state not open has nulls, never zeros."""
    is_open = entry.is_open and entry.pace is not None
    return {
        "state": entry.ags,
        "state_name": entry.name,
        "is_open": is_open,
        "services_offered": entry.offered if is_open else None,
        "services_full": entry.full if is_open else None,
        "target_services": entry.target if is_open else None,
        "target_date": entry.pace.target_date if entry.pace else None,
        "services_in_rollin": entry.in_rollin if is_open else None,
        "services_by_target_date": entry.pace.services_by_target if entry.pace else None,
        "on_track": entry.pace.on_track if entry.pace else None,
        "services": [
            {
                "service": item.service.slug,
                "service_name": item.service.name,
                "offered": item.offered,
                "responsible": item.figures.responsible,
                "live": item.figures.live,
                "population": item.figures.population,
                "population_live": item.figures.population_live,
                "is_full": item.figures.is_full,
                "in_progress": item.figures.in_progress,
            }
            for item in entry.services
        ],
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="coverage_federal",
        summary="Ziel der Vereinbarung je Land: Leistungen flächendeckend (alle 16 Länder)",
    )
)
class FederalCoverageList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = FederalStateSerializer
    # 16 states: one page, always.
    pagination_class = None

    def get_queryset(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return [_federal_row(entry) for entry in federal_overview().states]
