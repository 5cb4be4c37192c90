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


class ContactAddress(models.Model):
    """An official e-mail address of an authority (imported by operators from a CSV of
    AGS/ARS → address): where a campaign writes when no one of the authority is registered."""

    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, related_name="contact_address"
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kontaktadresse einer Behörde")
        verbose_name_plural = _("Kontaktadressen von Behörden")

    def __str__(self) -> str:
        return f"{self.authority} <{self.email}>"


class OptOut(models.Model):
    """An address that asked not to receive campaign e-mails any more."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abmeldung von Kampagnen")
        verbose_name_plural = _("Abmeldungen von Kampagnen")

    def __str__(self) -> str:
        return self.email


class Campaign(models.Model):
    """An e-mail to the authorities that have not ordered (or whose roll-in waits on them)."""

    class Audience(models.TextChoices):
        WHITE_SPOTS = "white_spots", _("Weiße Flecken der Leistung im Gebiet")
        WAITING = "waiting", _("Behörden, auf die die Einführung in einer Stufe wartet")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("Empfängerkreis"), max_length=12, choices=Audience.choices)
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage_code = models.SlugField(_("Stufe"), blank=True)
    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    deadline = models.DateField(_("Frist"))
    # A follow-up goes to the recipients of `follow_up_of` who did not act.
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")

    def __str__(self) -> str:
        return self.subject

    @property
    def area_name(self) -> str:
        area = self.district or self.region or self.state
        return area.name


class CampaignRecipient(models.Model):
    """One authority of a campaign and the address it was written to (blank: no address,
    follow up by phone). Sent once per address: the outbox row is written when claimed."""

    class Channel(models.TextChoices):
        STAFF = "staff", _("registrierte Beschäftigte")
        OFFICIAL = "official", _("Kontaktadresse der Behörde")
        NONE = "none", _("keine Adresse")
        OPTED_OUT = "opted_out", _("abgemeldet")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["authority__name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "authority", "email"], name="one_row_per_campaign_authority"
            ),
            # At most one mail per address and campaign, whatever authorities it stands for.
            models.UniqueConstraint(
                fields=["campaign", "email"],
                condition=~models.Q(email=""),
                name="one_mail_per_campaign_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.authority} <{self.email}>"
