"""The operators' opening of a state (mounted under /eroeffnung/)."""

from __future__ import annotations

from django.urls import path

from catalog import opening_views

app_name = "opening"

urlpatterns = [
    path("", opening_views.opening_list, name="list"),
    path("<str:ags>/", opening_views.opening_state, name="state"),
]
