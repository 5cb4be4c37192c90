"""Catalog JSON for other portals (mounted under /api/v1/)."""

from __future__ import annotations

from django.urls import path

from catalog import api

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="api-service-list"),
    path("services/<slug:slug>/", api.ServiceDetailApi.as_view(), name="api-service-detail"),
]
