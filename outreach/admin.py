from __future__ import annotations

from django.contrib import admin

from outreach.models import ContactAddress, OptOut


@admin.register(ContactAddress)
class ContactAddressAdmin(admin.ModelAdmin):
    list_display = ["authority", "email", "imported_at"]
    search_fields = ["authority__name", "authority__key", "email"]
    raw_id_fields = ["authority"]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at"]
    search_fields = ["email"]
