from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from portal.fields import URLS_ASSUME_HTTPS
from rollin.figures import figures_rebuild_stage
from rollin.models import (
    ConnectorEndpoint,
    ConnectorLog,
    HistoryEntry,
    ItemDefinition,
    Rollin,
    StageDefinition,
    StageTemplate,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


class StageDefinitionInline(admin.TabularInline):
    model = StageDefinition
    extra = 0
    show_change_link = True


class ItemDefinitionInline(admin.TabularInline):
    model = ItemDefinition
    extra = 0


@admin.register(StageTemplate)
class StageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "service"]
    inlines = [StageDefinitionInline]


@admin.register(StageDefinition)
class StageDefinitionAdmin(admin.ModelAdmin):
    list_display = ["label", "template", "position", "due_working_days"]
    list_filter = ["template"]
    inlines = [ItemDefinitionInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change:  # roll-ins at the stage have items of these definitions
            figures_rebuild_stage(form.instance.pk)


class HistoryEntryInline(admin.TabularInline):
    model = HistoryEntry
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in HistoryEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Rollin | None = None) -> bool:
        return False  # history is append-only, written by rollin.services


@admin.register(Rollin)
class RollinAdmin(admin.ModelAdmin):
    list_display = ["order", "stage", "status", "due_at", "assignee"]
    list_filter = ["status", "stage__code"]
    search_fields = ["order__number", "order__authority__name"]
    raw_id_fields = ["order", "assignee"]
    # State is written only through rollin.services, never by hand: the transitions keep the
    # history and the maintained figures (the due day counts for "overdue") in step.
    readonly_fields = ["template", "stage", "status", "status_before_hold", "live_at", "due_at"]
    inlines = [HistoryEntryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # every roll-in is started with its order

    def has_delete_permission(self, request: HttpRequest, obj: Rollin | None = None) -> bool:
        return False


@admin.register(ConnectorEndpoint)
class ConnectorEndpointAdmin(admin.ModelAdmin):
    formfield_overrides = URLS_ASSUME_HTTPS
    list_display = ["authority", "base_url", "timeout_seconds"]
    search_fields = ["authority__name", "base_url"]
    raw_id_fields = ["authority"]


@admin.register(ConnectorLog)
class ConnectorLogAdmin(admin.ModelAdmin):
    list_display = ["item", "action", "response_status", "error", "created_at"]
    list_filter = ["action", "response_status"]
