"""Operators manage the catalog here: services with their costs inline, and reference data."""

from __future__ import annotations

from django.contrib import admin

from catalog.models import CostItem, Fachverfahren, FundingProgramme, Prerequisite, Service


class CostItemInline(admin.TabularInline):
    model = CostItem
    extra = 1
    fields = ["label", "label_en", "amount", "recurrence", "note", "position"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "level", "status", "position", "funding_programme"]
    list_editable = ["status", "position"]
    list_filter = ["level", "status", "prerequisites", "fachverfahren", "funding_programme"]
    list_select_related = ["funding_programme"]
    search_fields = ["name", "name_en", "slug", "short_description", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["prerequisites", "fachverfahren"]
    inlines = [CostItemInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "position", "level"]}),
        (
            "Deutsch",
            {"fields": ["short_description", "description", "responsible_authority", "origin"]},
        ),
        (
            "English",
            {
                "classes": ["collapse"],
                "fields": [
                    "name_en",
                    "short_description_en",
                    "description_en",
                    "responsible_authority_en",
                    "origin_en",
                ],
            },
        ),
        (None, {"fields": ["prerequisites", "fachverfahren", "funding_programme"]}),
    ]


@admin.register(Prerequisite)
class PrerequisiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code", "description"]


@admin.register(Fachverfahren)
class FachverfahrenAdmin(admin.ModelAdmin):
    list_display = ["product", "vendor", "interface_standard", "min_version"]
    list_editable = ["min_version"]
    list_filter = ["interface_standard", "vendor"]
    search_fields = ["product", "vendor", "interface_standard", "note"]


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "state",
        "rate_percent",
        "special_need_rate_percent",
        "cap_amount",
        "minimum_amount",
        "application_before_contract",
    ]
    list_filter = ["state", "application_before_contract"]
    list_select_related = ["state"]
    search_fields = ["name", "name_en", "description"]
    prepopulated_fields = {"slug": ["name"]}
