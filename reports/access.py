"""Who may read the internal reports, and the one way to fetch a state or district there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from geo.models import District, State

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.typing import AnyUser


def may_read_reports(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_viewer or user.is_federal_viewer or user.is_coordinator or user.is_operator)
    )


def reports_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login; municipal staff → 403; viewers, coordinators and admins pass."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def state_visible_to(user: User) -> QuerySet[State]:
    if user.is_operator or user.is_federal_viewer:
        return State.objects.all()
    if user.is_viewer or user.is_coordinator:
        return user.states.all()
    return State.objects.none()


def report_state_get(user: User, ags: str) -> State:
    """The state if the user may read its reports, else Http404 (no hint it exists)."""
    state = state_visible_to(user).filter(ags=ags).first()
    if state is None:
        raise Http404
    return state


def report_district_get(user: User, ags: str) -> District:
    district = (
        District.objects.filter(ags=ags, state__in=state_visible_to(user))
        .select_related("state", "region")
        .first()
    )
    if district is None:
        raise Http404
    return district
