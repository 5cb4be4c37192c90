from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from dashboard.models import BulkJob

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by dashboard.services only."""

    list_display = ["id", "action", "created_by", "status", "total", "done", "failed", "created_at"]
    list_filter = ["action", "status"]
    readonly_fields = [f.name for f in BulkJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: BulkJob | None = None) -> bool:
        return False
