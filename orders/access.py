"""The one way to fetch a single order for a user (anything not visible is a 404), and who may
order or edit at all."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from orders.models import Order
from orders.selectors import order_visible_to

if TYPE_CHECKING:
    from accounts.typing import AnyUser, AuthenticatedHttpRequest


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


def authority_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ordering needs a confirmed membership; everyone else may browse only."""

    @wraps(view)
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authority_staff:
            messages.info(
                request,
                _("Bestellen können Sie, sobald Ihre Behörde Ihre Zugehörigkeit bestätigt hat."),
            )
            return redirect("accounts:my_authority")
        return view(request, *args, **kwargs)

    return wrapper


def may_edit_contact(user: Any, order: Order) -> bool:
    return not order.is_cancelled and (user.is_authority_staff or user.is_operator)


def may_download_contract(user: Any, order: Order) -> bool:
    """The contract to sign is for the people who sign it: staff of the ordering authority
    and the coordinators of its state (order_get_for_user has checked which order they see).
    Operators manage the portal, not contracts; ministry viewers see no orders at all."""
    return not order.is_cancelled and (user.is_authority_staff or user.is_coordinator)
