"""The audit trail in the admin: read-only and append-only, even for superusers."""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.http import HttpRequest

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AppendOnlyLogEntryAdmin(LogEntryAdmin):
    # The library allows deletion when a related object cascades; an audit trail must
    # not lose rows that way, so deleting is never permitted here.
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
