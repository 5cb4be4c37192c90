"""Who may use the coordination pages, and the one way to fetch an order there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from orders.access import order_get_for_user
from orders.models import Order


def may_coordinate(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_operator)
    )


def coordinator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login; staff and ministry viewers → 403; coordinators and admins pass."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_coordinate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def dashboard_order_get(user: Any, number: str) -> Order:
    """The order if it lies in the coordinator's states (orders' contract), else Http404."""
    return order_get_for_user(user, number)
