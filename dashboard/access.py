"""Who may use the coordination pages, and the one way to fetch an order there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts.session_user import state_ids_of
from geo.models import State
from orders.access import order_get_for_user
from orders.models import Order

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.typing import AnyUser


def may_coordinate(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_coordinator or user.is_operator)
    )


def coordinator_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Anonymous → login; staff and ministry viewers → 403; coordinators and admins pass."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_coordinate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def dashboard_order_get(user: User, number: str) -> Order:
    """The order if it lies in the coordinator's states (orders' contract), else Http404."""
    return order_get_for_user(user, number)


def coordinated_states(user: User) -> QuerySet[State]:
    """The states whose figures the user's coordination pages show (operators: all). Named by
    their ids, which are kept per version of the user: a query over these states names them
    in its SQL (a filter's kept choice lists are keyed by it, portal.choices)."""
    if user.is_operator:
        return State.objects.all()
    return State.objects.filter(pk__in=state_ids_of(user))


def coordinated_state_ids(user: User) -> list[int]:
    """Their ids: for a coordinator once per version of the user (the overview asks on every
    visit; accounts.session_user)."""
    if user.is_operator:
        return list(State.objects.values_list("pk", flat=True))
    return state_ids_of(user)
