"""Training-session pages: coordinators publish sessions and record attendance; staff book a
seat for their order. Thin: access helper, form, one service call, redirect with a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.models import State
from orders.access import order_get_for_user
from outreach import selectors, services
from outreach.forms import AttendanceForm, SessionForm
from outreach.models import SeatBooking
from reports.coverage import coverage_services

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from accounts.typing import AuthenticatedHttpRequest
    from orders.models import Order

PAST_SESSIONS_PER_PAGE = 25


def coordinator_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Anonymous → login; everyone but coordinators and operators → 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not (user.is_active and (user.is_coordinator or user.is_operator)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def states_of(user: User) -> QuerySet[State]:
    """The states the coordinator works for (operators: all)."""
    return (State.objects.all() if user.is_operator else user.states.all()).order_by("name")


def _states(request: AuthenticatedHttpRequest) -> QuerySet[State]:
    return states_of(request.user)


@coordinator_required
@require_GET
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = selectors.sessions_visible_to(request.user)
    now = timezone.now()
    # Past sessions only grow: they are paged, the coming ones are a schedule.
    past = sessions.filter(starts_at__lte=now).order_by("-starts_at", "-id")
    return render(
        request,
        "outreach/session_list.html",
        {
            "upcoming": list(sessions.filter(starts_at__gt=now).order_by("starts_at", "id")),
            "page": Paginator(past, PAST_SESSIONS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, states=_states(request), services=coverage_services())
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Schulungstermin ist veröffentlicht."))
            return redirect("outreach:session_detail", session_id=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/session_form.html", {"form": form}, status=status)


@coordinator_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_coordinator(request.user, session_id)
    form = SessionForm(
        request.POST or None,
        instance=session,
        states=_states(request),
        services=coverage_services(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request.user, session_id=session.pk, changes=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Schulungstermin ist geändert."))
            return redirect("outreach:session_detail", session_id=session.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "session": session}
    return render(request, "outreach/session_form.html", context, status=status)


@coordinator_required
@require_GET
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_coordinator(request.user, session_id)
    bookings = selectors.session_bookings(session)
    confirmed = [b for b in bookings if b.status == SeatBooking.Status.CONFIRMED]
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "confirmed": confirmed,
            "waitlist": [b for b in bookings if b.status == SeatBooking.Status.WAITLISTED],
            "cancelled": [b for b in bookings if b.status == SeatBooking.Status.CANCELLED],
            "attendance_form": AttendanceForm(bookings=confirmed),
            "may_record": session.attendance_recorded_at is None
            and session.starts_at <= timezone.now(),
        },
    )


@coordinator_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_coordinator(request.user, session_id)
    confirmed = [
        b for b in selectors.session_bookings(session) if b.status == SeatBooking.Status.CONFIRMED
    ]
    form = AttendanceForm(request.POST, bookings=confirmed)
    if not form.is_valid():
        messages.error(request, _("Die Auswahl enthält Buchungen, die keinen Platz haben."))
        return redirect("outreach:session_detail", session_id=session.pk)
    try:
        completed = services.attendance_record(
            actor=request.user, session_id=session.pk, attended_booking_ids=form.booking_ids()
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Teilnahme erfasst; bei %(count)s Bestellungen ist die Schulung bestätigt.")
            % {"count": len(completed)},
        )
    return redirect("outreach:session_detail", session_id=session.pk)


def _staff_order(request: AuthenticatedHttpRequest, number: str) -> Order:
    """The order of the staff's own authority (Http404 for any other)."""
    if not request.user.is_authority_staff:
        raise PermissionDenied
    return order_get_for_user(request.user, number)


@login_required
@require_GET
def order_sessions(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = _staff_order(request, number)
    return render(
        request,
        "outreach/order_sessions.html",
        {
            "order": order,
            "sessions": list(selectors.sessions_for_order(order)),
            "bookings": selectors.bookings_of_authority(order),
            "may_book": services.open_training_item(order) is not None,
        },
    )


@login_required
@require_POST
def seat_book(request: AuthenticatedHttpRequest, number: str, session_id: int) -> HttpResponse:
    order = _staff_order(request, number)
    if not selectors.sessions_for_order(order).filter(pk=session_id).exists():
        raise Http404
    try:
        booking = services.seat_book(actor=request.user, order=order, session_id=session_id)
    except ValidationError as error:
        _errors(request, error)
    else:
        if booking.status == SeatBooking.Status.CONFIRMED:
            messages.success(request, _("Ihr Platz ist gebucht; die Bestätigung kommt per E-Mail."))
        else:
            messages.warning(
                request,
                _("Der Termin ist ausgebucht: Ihre Behörde steht auf der Warteliste."),
            )
    return redirect("outreach:order_sessions", number=order.number)


@login_required
@require_POST
def seat_cancel(request: AuthenticatedHttpRequest, number: str, booking_id: int) -> HttpResponse:
    order = _staff_order(request, number)
    booking = SeatBooking.objects.filter(pk=booking_id, order=order).first()
    if booking is None:
        raise Http404
    try:
        services.seat_cancel(actor=request.user, booking_id=booking.pk)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Ihre Buchung ist storniert."))
    return redirect("outreach:order_sessions", number=order.number)
