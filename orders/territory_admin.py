"""Admin page "Gebietsänderungen": ended municipalities, what refers to them, and the move."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from orders.models import Order, TerritoryChange
from orders.territory import TerritoryMoveError, ended_authorities_of, territory_move_to_successor

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.utils.safestring import SafeString


@admin.register(TerritoryChange)
class TerritoryChangeAdmin(admin.ModelAdmin):
    list_display = ["ags", "name", "district", "ended_on", "successor", "orders", "users"]
    list_filter = ["ended_on", "state"]
    list_select_related = ["district", "successor"]
    search_fields = ["ags", "name"]
    raw_id_fields = ["successor"]
    fields = [
        "ags", "name", "district", "population", "ended_on", "successor",
        "ended_authorities", "order_list", "user_list",
    ]  # fmt: skip
    readonly_fields = [
        "ags", "name", "district", "population", "ended_on",
        "ended_authorities", "order_list", "user_list",
    ]  # fmt: skip
    actions = ["move_to_successor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TerritoryChange]:
        return super().get_queryset(request).filter(ended_on__isnull=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # kept on purpose: orders and users refer to it

    def _orders(self, obj: TerritoryChange) -> QuerySet[Order]:
        return Order.objects.filter(
            authority__in=ended_authorities_of(obj), cancelled_at__isnull=True
        ).select_related("service", "authority")

    def _users(self, obj: TerritoryChange) -> QuerySet[User]:
        return User.objects.filter(authority__in=ended_authorities_of(obj))

    @admin.display(description=gettext_lazy("Aktive Bestellungen"))
    def orders(self, obj: TerritoryChange) -> int:
        return self._orders(obj).count()

    @admin.display(description=gettext_lazy("Nutzer"))
    def users(self, obj: TerritoryChange) -> int:
        return self._users(obj).count()

    @admin.display(description=gettext_lazy("Beendete Behörden"))
    def ended_authorities(self, obj: TerritoryChange) -> str:
        return ", ".join(str(authority) for authority in ended_authorities_of(obj)) or "–"

    @admin.display(description=gettext_lazy("Aktive Bestellungen"))
    def order_list(self, obj: TerritoryChange) -> SafeString | str:
        rows = [(o.number, o.service, o.authority) for o in self._orders(obj)]
        if not rows:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} – {} ({})</li>", rows))

    @admin.display(description=gettext_lazy("Nutzer"))
    def user_list(self, obj: TerritoryChange) -> SafeString | str:
        rows = [(u.email, u.authority) for u in self._users(obj).select_related("authority")]
        if not rows:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} ({})</li>", rows))

    @admin.action(
        description=gettext_lazy("Bestellungen und Nutzer an die Nachfolgebehörde übertragen")
    )
    def move_to_successor(self, request: HttpRequest, queryset: QuerySet[TerritoryChange]) -> None:
        for municipality in queryset.select_related("successor"):
            try:
                moved = territory_move_to_successor(municipality=municipality)
            except TerritoryMoveError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(name)s: %(orders)s Bestellungen und %(users)s Nutzer übertragen.")
                % {"name": municipality, "orders": moved.orders, "users": moved.users},
                messages.SUCCESS,
            )
            for reason in moved.skipped:
                self.message_user(request, reason, messages.WARNING)
