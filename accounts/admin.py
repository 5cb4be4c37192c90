from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "authority", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "states"]
    search_fields = ["email", "first_name", "last_name", "authority__name"]
    raw_id_fields = ["authority"]
    filter_horizontal = ["states", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone"]}),
        (_("Rolle"), {"fields": ["role", "authority", "states"]}),
        (
            _("Berechtigungen"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "role"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "authority", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__email", "authority__name"]
    raw_id_fields = ["user", "authority", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "authority", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email", "authority__name"]
    raw_id_fields = ["authority", "invited_by", "accepted_by"]
    exclude = ["token"]
