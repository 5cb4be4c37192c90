from __future__ import annotations

from django.contrib import admin

from dashboard.models import BulkJob


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by dashboard.services only."""

    list_display = ["id", "action", "created_by", "status", "total", "done", "failed", "created_at"]
    list_filter = ["action", "status"]
    readonly_fields = [f.name for f in BulkJob._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
