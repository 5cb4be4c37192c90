"""Orders of services by authorities, their basket drafts, comments and funding."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Fachverfahren, FundingProgramme, Service
from geo.models import Authority, Municipality


class Order(models.Model):
    number = models.CharField(_("Bestellnummer"), max_length=20, unique=True)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="orders")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orders")
    fachverfahren = models.ForeignKey(
        Fachverfahren,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("Fachverfahren"),
    )
    fachverfahren_other = models.CharField(_("Anderes Fachverfahren"), max_length=200, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=150)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"))
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=40)
    desired_golive = models.DateField(_("Gewünschter Start des Wirkbetriebs"))
    funding_requested = models.BooleanField(_("Förderung beantragt"), default=False)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders_placed"
    )
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    terms_accepted_at = models.DateTimeField(_("Nutzungsbedingungen akzeptiert am"))
    # One checkout submission = one key; a resubmitted form finds its orders instead of
    # creating new ones.
    checkout_key = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(_("Bestellt am"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("Storniert am"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.TextField(_("Grund der Stornierung"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Bestellung")
        verbose_name_plural = _("Bestellungen")
        # The default order of every list (newest first, LIMIT 50) and the weekly series read
        # this index instead of sorting or scanning all orders.
        indexes = [
            models.Index(fields=["created_at", "id"]),
            # Active orders of one service (catalog counts, service reports) from the index
            # alone, instead of a heap page per order scattered over the whole table.
            models.Index(
                fields=["service", "authority", "id"],
                condition=models.Q(cancelled_at__isnull=True),
                name="order_active_by_service",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "service"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_order_per_authority_and_service",
                violation_error_message=_("Diese Leistung ist für Ihre Behörde bereits bestellt."),
            ),
            models.CheckConstraint(
                condition=~(
                    models.Q(fachverfahren__isnull=True) & models.Q(fachverfahren_other="")
                ),
                name="order_names_a_fachverfahren",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.service} ({self.authority})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class OrderNumberSequence(models.Model):
    """Last order number handed out per year; locked row, so numbers are gap-free per year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)


class BasketItem(models.Model):
    """A service in a user's basket, with the checkout data entered so far (never lost)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="basket_items"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    draft = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="one_basket_item_per_service")
        ]


class Comment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("Kommentar"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")


class FundingCase(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Beantragt")
        GRANTED = "granted", _("Bewilligt")
        REJECTED = "rejected", _("Abgelehnt")
        PAID = "paid", _("Ausgezahlt")

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="funding_case")
    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, related_name="cases")
    amount_requested = models.DecimalField(_("Beantragt (€)"), max_digits=12, decimal_places=2)
    amount_granted = models.DecimalField(
        _("Bewilligt (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_paid = models.DecimalField(
        _("Ausgezahlt (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Förderfall")
        verbose_name_plural = _("Förderfälle")


class TerritoryChange(Municipality):
    """A municipality ended by a newer Gebietsstand, seen with the orders and people it leaves.

    A proxy of the geography's Municipality in the orders app: moving orders and users to the
    successor belongs here, above geo, which knows neither (admin: "Gebietsänderungen").
    """

    class Meta:
        proxy = True
        verbose_name = _("Gebietsänderung")
        verbose_name_plural = _("Gebietsänderungen")
