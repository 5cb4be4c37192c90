"""One serializer per catalog resource, for other portals and the open-data API."""

from __future__ import annotations

from rest_framework import serializers

from catalog.models import CostItem, Fachverfahren, FundingProgramme, Prerequisite, Service
from geo.models import Level


class PrerequisiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prerequisite
        fields = ["code", "kind", "name", "name_en", "description", "description_en"]


class FachverfahrenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fachverfahren
        fields = ["id", "vendor", "product", "interface_standard", "min_version"]


class CostItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostItem
        fields = ["label", "label_en", "amount", "recurrence", "note"]


class FundingProgrammeSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.ags", default=None, read_only=True)

    class Meta:
        model = FundingProgramme
        fields = [
            "slug",
            "name",
            "name_en",
            "state",
            "rate_percent",
            "special_need_rate_percent",
            "cap_amount",
            "minimum_amount",
            "application_before_contract",
            "url",
        ]


class ServiceSerializer(serializers.ModelSerializer):
    """List entry: what a portal needs to show a card and link to the detail."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api-service-detail", lookup_field="slug", read_only=True
    )
    # Plain values, the same choice set as the coverage API's `level`, so the OpenAPI schema
    # gets one enum for both instead of a naming collision.
    level = serializers.ChoiceField(choices=Level.values, read_only=True)
    ordered_count = serializers.IntegerField(read_only=True)
    live_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Service
        fields = [
            "slug",
            "url",
            "name",
            "name_en",
            "short_description",
            "short_description_en",
            "level",
            "status",
            "ordered_count",
            "live_count",
        ]


class ServiceDetailSerializer(ServiceSerializer):
    prerequisites = PrerequisiteSerializer(many=True, read_only=True)
    fachverfahren = FachverfahrenSerializer(many=True, read_only=True)
    cost_items = CostItemSerializer(many=True, read_only=True)
    funding_programme = FundingProgrammeSerializer(read_only=True)

    class Meta(ServiceSerializer.Meta):
        fields = [
            *ServiceSerializer.Meta.fields,
            "description",
            "description_en",
            "responsible_authority",
            "responsible_authority_en",
            "origin",
            "origin_en",
            "prerequisites",
            "fachverfahren",
            "cost_items",
            "funding_programme",
        ]
