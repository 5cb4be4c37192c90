"""Where a link to an order leads, by the reader's role.

Coordinators (and operators) work on the coordination's order page, staff on their own; an
e-mail or notification about an order sends each reader to the page they act on. Reversed by
URL name, so no app above is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from accounts.typing import AnyUser
    from orders.models import Order


def reads_as_coordination(user: AnyUser | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_coordinator or user.is_operator)
    )


def order_url_for(order: Order, user: AnyUser | None) -> str:
    """The path of the order's page for `user` ("" if the URLs are not installed)."""
    name = "dashboard:order_detail" if reads_as_coordination(user) else "orders:order_detail"
    try:
        return reverse(name, args=[order.number])
    except NoReverseMatch:
        return ""
