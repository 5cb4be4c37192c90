"""Reads of the training-session pages: a fixed number of queries however many sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from outreach.models import SeatBooking, TrainingSession

if TYPE_CHECKING:
    from accounts.models import User
    from orders.models import Order

Status = SeatBooking.Status


def sessions_visible_to(user: User) -> QuerySet[TrainingSession]:
    """Coordinators: the sessions of their states (operators: all), with seats taken."""
    sessions = TrainingSession.objects.all()
    if not user.is_operator:
        sessions = sessions.filter(state__in=user.states.all())
    return sessions.select_related("service", "state").annotate(
        taken=Count("bookings", filter=Q(bookings__status=Status.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=Status.WAITLISTED)),
    )


def session_get_for_coordinator(user: User, session_id: int) -> TrainingSession:
    session = sessions_visible_to(user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def session_bookings(session: TrainingSession) -> list[SeatBooking]:
    """Bookings with seat or waitlist place, in the order they came, then cancelled ones."""
    return list(
        session.bookings.select_related("authority", "booked_by", "order").order_by(
            "created_at", "id"
        )
    )


def sessions_for_order(order: Order) -> QuerySet[TrainingSession]:
    """Upcoming sessions of the order's service in its authority's state, with seats taken."""
    return (
        TrainingSession.objects.filter(
            service_id=order.service_id,
            state_id=order.authority.state_id,
            starts_at__gt=timezone.now(),
            attendance_recorded_at__isnull=True,
        )
        .annotate(taken=Count("bookings", filter=Q(bookings__status=Status.CONFIRMED)))
        .annotate(
            free=F("capacity") - F("taken"),
            booked=Exists(
                SeatBooking.objects.filter(
                    session_id=OuterRef("pk"),
                    authority_id=order.authority_id,
                    status__in=(Status.CONFIRMED, Status.WAITLISTED),
                )
            ),
        )
        .order_by("starts_at", "id")
    )


def bookings_of_authority(order: Order) -> list[SeatBooking]:
    return list(
        SeatBooking.objects.filter(authority_id=order.authority_id, order=order)
        .exclude(status=Status.CANCELLED)
        .select_related("session")
        .order_by("session__starts_at")
    )
