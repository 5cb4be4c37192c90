"""The one way to fetch a single order for a user: anything not visible is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from orders.models import Order
from orders.selectors import order_visible_to

if TYPE_CHECKING:
    from accounts.typing import AnyUser


def order_get_for_user(user: AnyUser | None, number: str, *, for_update: bool = False) -> Order:
    """Return the order with `number` if `user` may see it, else raise Http404.

    A foreign order answers exactly like a missing one, so order numbers of other
    authorities cannot be probed. `for_update` locks the row (call inside a transaction).
    """
    orders = order_visible_to(user).select_related("authority", "service")
    if for_update:
        orders = orders.select_for_update(of=("self",))
    try:
        return orders.get(number=number)
    except Order.DoesNotExist:
        raise Http404(_("Bestellung nicht gefunden.")) from None
