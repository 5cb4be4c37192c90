"""Read-only catalog JSON. Public (AllowAny) and throttled by the project defaults."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics
from rest_framework.permissions import AllowAny

from catalog import selectors
from catalog.forms import ServiceFilterForm
from catalog.models import Service
from catalog.serializers import ServiceDetailSerializer, ServiceSerializer


class ServiceListApi(generics.ListAPIView):
    serializer_class = ServiceSerializer
    permission_classes = [AllowAny]

    def get_queryset(self) -> QuerySet[Service]:
        # Same query parameters as the catalog page (q, level, status, prerequisite,
        # fachverfahren), so a portal can embed a filtered list.
        filters = ServiceFilterForm(self.request.query_params).filters()
        return selectors.service_list(user=self.request.user, **filters)


class ServiceDetailApi(generics.RetrieveAPIView):
    serializer_class = ServiceDetailSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Service]:
        return selectors.service_with_counts(
            selectors.service_visible_to(self.request.user)
            .select_related("funding_programme__state")
            .prefetch_related("prerequisites", "fachverfahren", "cost_items")
        )
