from django.contrib import admin

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
    raw_id_fields = ["authority", "placed_by", "terms_accepted_by", "cancelled_by", "fachverfahren"]
    inlines = [CommentInline]


@admin.register(FundingCase)
class FundingCaseAdmin(admin.ModelAdmin):
    list_display = ["order", "programme", "amount_requested", "amount_granted", "status"]
    list_filter = ["status", "programme"]
    raw_id_fields = ["order"]


# Gebietsänderungen: ended municipalities and moving their orders (registers itself).
from orders import territory_admin  # noqa: E402, F401
