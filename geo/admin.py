from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from geo.models import Authority, DataImport, District, Municipality, Region, State

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "target_services", "target_date"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "state"]
    list_filter = ["state"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "kind", "region", "population"]
    list_filter = ["state", "kind", "region"]
    search_fields = ["ags", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "kind", "district", "population", "postal_code", "ended_on"]
    list_filter = ["state", "kind", "ended_on"]
    search_fields = ["ags", "name", "postal_code"]
    list_select_related = ["district"]
    raw_id_fields = ["district", "municipal_authority", "district_authority", "successor"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "district", "population", "ended_on"]
    list_filter = ["state", "kind", "is_municipal_level", "is_district_level", "ended_on"]
    search_fields = ["name", "code", "key", "postal_code"]
    list_select_related = ["district"]
    raw_id_fields = ["district", "region"]


@admin.register(DataImport)
class DataImportAdmin(admin.ModelAdmin):
    """A log written by `import_geodata`; read-only so it stays a true record."""

    list_display = ["created_at", "gebietsstand", "source", "states", "digest"]
    readonly_fields = ["created_at", "gebietsstand", "source", "states", "digest", "counts"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DataImport | None = None) -> bool:
        return False
