from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from orders.models import Comment, FundingCase, Order


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "service", "authority", "created_at", "cancelled_at"]
    list_filter = ["service", "authority__state"]
    search_fields = ["number", "authority__name"]
    list_select_related = ["service", "authority"]
    raw_id_fields = ["placed_by", "terms_accepted_by", "fachverfahren"]
    # Who ordered what, when, and its cancellation change only through the services (placing,
    # cancelling, the move after a merger): they keep the roll-in, its history and the
    # maintained figures in step. An order is a record of the roll-in; it is never deleted.
    readonly_fields = [
        "number", "authority", "service", "created_at", "cancelled_at", "cancelled_by",
        "cancel_reason",
    ]  # fmt: skip
    inlines = [CommentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders are placed through the portal (order_place starts the roll-in)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FundingCase)
class FundingCaseAdmin(admin.ModelAdmin):
    list_display = ["order", "programme", "amount_requested", "amount_granted", "status"]
    list_filter = ["status", "programme"]
    raw_id_fields = ["order"]


# Gebietsänderungen: ended municipalities and moving their orders (registers itself).
from orders import territory_admin  # noqa: E402, F401
