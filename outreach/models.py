"""Training sessions (Schulungstermine) and the seats authorities book in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from geo.models import Authority, State
from orders.models import Order


class TrainingSession(models.Model):
    """A date on which the coordination trains staff of authorities for one service."""

    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("Leistung"),
    )
    # The coordination of a state trains its own authorities.
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("Land")
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    online_url = models.URLField(_("Online-Link"), blank=True)
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(_("Plätze"))
    trainer = models.CharField(_("Schulungsleitung"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Attendance is recorded once for the whole list; afterwards the list is closed.
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("Schulungstermin")
        verbose_name_plural = _("Schulungstermine")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="training_session_has_seats"
            ),
            models.CheckConstraint(
                condition=~models.Q(online_url="", place=""),
                name="training_session_has_url_or_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.starts_at:%d.%m.%Y %H:%M}"


class SeatBooking(models.Model):
    """An authority's seat (or place on the waitlist) in a session, booked for its order."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Platz bestätigt")
        WAITLISTED = "waitlisted", _("Warteliste")
        CANCELLED = "cancelled", _("Storniert")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="bookings")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set once when attendance is recorded: True attended, False did not.
    attended = models.BooleanField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Platzbuchung")
        verbose_name_plural = _("Platzbuchungen")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "authority"],
                condition=~models.Q(status="cancelled"),
                name="one_live_booking_per_authority_and_session",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["confirmed", "waitlisted", "cancelled"]),
                name="seat_booking_valid_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} → {self.session} ({self.get_status_display()})"
