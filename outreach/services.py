"""Training sessions: publish, book a seat (waitlist when full), cancel (the waitlist moves
up), record attendance (completes each attendee's training item through the roll-in), remind.

Every write locks the session row first, so two bookings for the last seat never both get it
and a cancellation promotes exactly one waiting authority. Domain rules raise ValidationError
with a message for the person; nothing is changed then.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach import ical
from outreach.models import SeatBooking, TrainingSession
from portal.services import email_send
from rollin import services as rollin_services
from rollin.models import ItemDefinition, Rollin, RollinItem

if TYPE_CHECKING:
    from accounts.models import User
    from catalog.models import Service
    from geo.models import State
    from orders.models import Order

Status = SeatBooking.Status
LIVE_BOOKINGS = (Status.CONFIRMED, Status.WAITLISTED)
ACTIVE_ROLLIN = (Rollin.Status.IN_PROGRESS, Rollin.Status.WAITING)


def may_coordinate_state(user: User, state_id: int) -> bool:
    if user.is_operator:
        return True
    return user.is_coordinator and user.states.filter(pk=state_id).exists()


def open_training_item(order: Order) -> RollinItem | None:
    """The order's training item if its roll-in is in the stage that holds it, still open."""
    return (
        RollinItem.objects.filter(
            rollin__order=order,
            rollin__status__in=ACTIVE_ROLLIN,
            definition__role=ItemDefinition.Role.TRAINING,
            status__in=(RollinItem.Status.OPEN, RollinItem.Status.REJECTED),
            stage_id=F("rollin__stage_id"),
        )
        .select_related("definition")
        .first()
    )


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError(_("Der Termin liegt in der Vergangenheit."), code="past")
    if ends_at <= starts_at:
        raise ValidationError(_("Das Ende muss nach dem Beginn liegen."), code="order")


def _check_where(online_url: str, place: str) -> None:
    if not online_url and not place:
        raise ValidationError(_("Bitte geben Sie einen Online-Link oder einen Ort an."))


def session_publish(
    *,
    actor: User,
    state: State,
    service: Service,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    trainer: str,
    online_url: str = "",
    place: str = "",
) -> TrainingSession:
    if not may_coordinate_state(actor, state.pk):
        raise PermissionDenied
    _check_times(starts_at, ends_at)
    _check_where(online_url, place)
    if capacity < 1:
        raise ValidationError(_("Ein Termin braucht mindestens einen Platz."))
    return TrainingSession.objects.create(
        state=state,
        service=service,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        trainer=trainer,
        online_url=online_url,
        place=place,
        created_by=actor,
    )


def _locked(session_id: int) -> TrainingSession:
    return TrainingSession.objects.select_for_update().select_related("service").get(pk=session_id)


def _confirmed_count(session: TrainingSession) -> int:
    return session.bookings.filter(status=Status.CONFIRMED).count()


@transaction.atomic
def session_update(*, actor: User, session_id: int, changes: dict[str, Any]) -> TrainingSession:
    """Change date, place, trainer or capacity of a session that has not taken place; more
    seats move waiting authorities up, fewer than the seats taken are refused."""
    session = _locked(session_id)
    if not may_coordinate_state(actor, session.state_id):
        raise PermissionDenied
    if session.attendance_recorded_at is not None:
        raise ValidationError(_("Die Teilnahme ist bereits erfasst; der Termin ist abgeschlossen."))
    for name, value in changes.items():
        setattr(session, name, value)
    _check_times(session.starts_at, session.ends_at)
    _check_where(session.online_url, session.place)
    taken = _confirmed_count(session)
    if session.capacity < taken:
        raise ValidationError(
            _(
                "Es sind bereits %(taken)s Plätze vergeben; "
                "die Platzzahl kann nicht darunter liegen."
            )
            % {"taken": taken}
        )
    session.save()
    _promote_waiting(session)
    return session


@transaction.atomic
def seat_book(*, actor: User, order: Order, session_id: int) -> SeatBooking:
    """A seat for the order's authority, or a place on the waitlist when the session is full."""
    session = _locked(session_id)
    if not (actor.is_authority_staff and actor.authority_id == order.authority_id):
        raise PermissionDenied
    if session.service_id != order.service_id or session.state_id != order.authority.state_id:
        raise ValidationError(_("Dieser Termin gehört nicht zu Ihrer Bestellung."))
    if session.starts_at <= timezone.now() or session.attendance_recorded_at is not None:
        raise ValidationError(_("Der Termin hat bereits stattgefunden."))
    if open_training_item(order) is None:
        raise ValidationError(
            _("Ein Schulungstermin kann in der Stufe „Schulung & Freigabe“ gebucht werden.")
        )
    if session.bookings.filter(authority_id=order.authority_id, status__in=LIVE_BOOKINGS).exists():
        raise ValidationError(_("Ihre Behörde hat für diesen Termin bereits gebucht."))
    full = _confirmed_count(session) >= session.capacity
    booking = SeatBooking.objects.create(
        session=session,
        authority_id=order.authority_id,
        order=order,
        booked_by=actor,
        status=Status.WAITLISTED if full else Status.CONFIRMED,
    )
    _tell(booking, "training_waitlisted" if full else "training_confirmed")
    return booking


@transaction.atomic
def seat_cancel(*, actor: User, booking_id: int) -> SeatBooking:
    """Give the seat back (staff of the authority, or the coordination); the first authority
    on the waitlist gets it."""
    booking = SeatBooking.objects.select_related("session").get(pk=booking_id)
    session = _locked(booking.session_id)
    booking.refresh_from_db()
    own = actor.is_authority_staff and actor.authority_id == booking.authority_id
    if not (own or may_coordinate_state(actor, session.state_id)):
        raise PermissionDenied
    if booking.status == Status.CANCELLED:
        raise ValidationError(_("Diese Buchung ist bereits storniert."))
    if session.attendance_recorded_at is not None:
        raise ValidationError(_("Die Teilnahme ist bereits erfasst; der Termin ist abgeschlossen."))
    booking.status = Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    _promote_waiting(session)
    return booking


def _promote_waiting(session: TrainingSession) -> None:
    """Fill free seats from the waitlist, first come first served (session row locked)."""
    free = session.capacity - _confirmed_count(session)
    if free <= 0:
        return
    waiting = list(session.bookings.filter(status=Status.WAITLISTED).order_by("created_at", "id"))
    for booking in waiting[:free]:
        booking.status = Status.CONFIRMED
        booking.save(update_fields=["status"])
        _tell(booking, "training_promoted")


@transaction.atomic
def attendance_record(
    *, actor: User, session_id: int, attended_booking_ids: Iterable[int]
) -> list[RollinItem]:
    """Once per session, after it began: the confirmed bookings ticked attended complete their
    order's training item through the roll-in (history, next steps); the others are marked
    absent. Returns the completed items."""
    session = _locked(session_id)
    if not may_coordinate_state(actor, session.state_id):
        raise PermissionDenied
    if session.attendance_recorded_at is not None:
        raise ValidationError(_("Die Teilnahme für diesen Termin ist bereits erfasst."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Die Teilnahme kann erst nach Beginn des Termins erfasst werden."))
    confirmed = list(session.bookings.filter(status=Status.CONFIRMED).select_related("order"))
    attended = set(attended_booking_ids)
    unknown = attended - {booking.pk for booking in confirmed}
    if unknown:
        raise ValidationError(_("Die Auswahl enthält Buchungen, die keinen Platz haben."))
    completed = []
    label = str(session)
    for booking in confirmed:
        booking.attended = booking.pk in attended
        booking.save(update_fields=["attended"])
        if not booking.attended:
            continue
        item = open_training_item(booking.order)
        if item is not None:  # already confirmed by the authority itself: nothing to do
            completed.append(
                rollin_services.rollin_training_attended(
                    item_id=item.pk, actor=actor, session=label
                )
            )
    session.attendance_recorded_at = timezone.now()
    session.attendance_recorded_by = actor
    session.save(update_fields=["attendance_recorded_at", "attendance_recorded_by"])
    return completed


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind every confirmed booking of a session starting within the next day, once (the
    conditional update claims the booking, so a task run twice sends one mail)."""
    now = now or timezone.now()
    due = SeatBooking.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        session__starts_at__gt=now,
        session__starts_at__lte=now + datetime.timedelta(days=1),
    ).values_list("pk", flat=True)
    sent = 0
    for booking_id in list(due):
        with transaction.atomic():
            claimed = SeatBooking.objects.filter(
                pk=booking_id, reminder_sent_at__isnull=True, status=Status.CONFIRMED
            ).update(reminder_sent_at=now)
            if claimed:
                _tell(SeatBooking.objects.get(pk=booking_id), "training_reminder")
                sent += 1
    return sent


def booking_calendar(booking: SeatBooking) -> str:
    session = booking.session
    where = session.online_url or session.place
    return ical.calendar(
        ical.Event(
            uid=f"training-{session.pk}-{booking.authority_id}@{_host()}",
            start=session.starts_at,
            end=session.ends_at,
            summary=_("Schulung: %(service)s") % {"service": session.service.display_name},
            description=_("Schulungsleitung: %(trainer)s") % {"trainer": session.trainer},
            location=where,
            url=session.online_url,
        ),
        now=timezone.now(),
    )


def _host() -> str:
    return settings.PORTAL_BASE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _tell(booking: SeatBooking, template: str) -> None:
    """The booking person hears about their seat; a seat comes with the calendar entry."""
    booking = SeatBooking.objects.select_related(
        "session__service", "authority", "booked_by", "order"
    ).get(pk=booking.pk)
    attachments = []
    if booking.status == Status.CONFIRMED:
        attachments.append(("schulung.ics", booking_calendar(booking), "text/calendar"))
    email_send(
        to=[booking.booked_by.email],
        language=booking.booked_by.language or "de",  # the booker's, as every mail to a person
        template=template,
        context={
            "booking": booking,
            "session": booking.session,
            "order_url": settings.PORTAL_BASE_URL
            + reverse("outreach:order_sessions", args=[booking.order.number]),
        },
        attachments=attachments,
    )
