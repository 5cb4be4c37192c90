"""Open-data coverage API (mounted under /api/v1/coverage/)."""

from __future__ import annotations

from django.urls import path

from reports import api

urlpatterns = [
    path("federal/", api.FederalCoverageList.as_view(), name="api-coverage-federal"),
    path("states/", api.StateCoverageList.as_view(), name="api-coverage-state-list"),
    path("states/<str:ags>/", api.StateCoverageDetail.as_view(), name="api-coverage-state-detail"),
    path(
        "states/<str:ags>/regions/",
        api.RegionCoverageList.as_view(),
        name="api-coverage-region-list",
    ),
    path(
        "states/<str:ags>/districts/",
        api.DistrictCoverageList.as_view(),
        name="api-coverage-district-list",
    ),
    path(
        "services/<slug:slug>/",
        api.ServiceCoverageDetail.as_view(),
        name="api-coverage-service-detail",
    ),
]
