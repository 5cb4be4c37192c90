"""The service catalog: what can be ordered, what it needs and what it costs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geo.models import Level, State
from portal.localized import localized_value


class TranslatedFieldsMixin:
    """German fields hold the text; `<field>_en` the English translation, if written."""

    def localized(self, field: str) -> str:
        return localized_value(self, field)

    @property
    def display_name(self) -> str:
        """The name in the active language, for templates (`{{ service.display_name }}`)."""
        return self.localized("name")


class Prerequisite(TranslatedFieldsMixin, models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Nutzerkonto / Login")
        PAYMENT = "payment", _("Bezahlung")
        CHANNEL = "channel", _("Übermittlungsweg")
        OTHER = "other", _("Sonstiges")

    code = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("Voraussetzung")
        verbose_name_plural = _("Voraussetzungen")

    def __str__(self) -> str:
        return self.name


class Fachverfahren(models.Model):
    """Specialist software an authority runs, or the interface standard it must speak."""

    vendor = models.CharField(_("Hersteller"), max_length=150, blank=True)
    product = models.CharField(_("Produkt"), max_length=150)
    interface_standard = models.CharField(_("Schnittstelle / Standard"), max_length=100)
    min_version = models.CharField(_("Mindestversion"), max_length=50, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)

    class Meta:
        ordering = ["product", "vendor"]
        verbose_name = _("Fachverfahren")
        verbose_name_plural = _("Fachverfahren")

    def __str__(self) -> str:
        label = f"{self.vendor} {self.product}".strip()
        return f"{label} ({self.interface_standard})"


class FundingProgramme(TranslatedFieldsMixin, models.Model):
    name = models.CharField(_("Name"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(unique=True)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("Bundesland")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    rate_percent = models.DecimalField(_("Fördersatz (%)"), max_digits=5, decimal_places=2)
    special_need_rate_percent = models.DecimalField(
        _("Fördersatz in Räumen mit besonderem Handlungsbedarf (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cap_amount = models.DecimalField(_("Höchstbetrag (€)"), max_digits=12, decimal_places=2)
    minimum_amount = models.DecimalField(_("Mindestbetrag (€)"), max_digits=12, decimal_places=2)
    application_before_contract = models.BooleanField(
        _("Antrag vor Vertragsschluss"),
        default=True,
        help_text=_("Förderung nur, wenn der Antrag vor dem Vertrag gestellt wird."),
    )
    url = models.URLField(_("Weitere Informationen"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")

    def __str__(self) -> str:
        return self.name


class Service(TranslatedFieldsMixin, models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Verfügbar")
        PLANNED = "planned", _("In Planung")

    slug = models.SlugField(_("Kürzel"), unique=True)
    name = models.CharField(_("Name"), max_length=150)
    name_en = models.CharField(_("Name (englisch)"), max_length=150, blank=True)
    short_description = models.CharField(_("Kurzbeschreibung"), max_length=300)
    short_description_en = models.CharField(
        _("Kurzbeschreibung (englisch)"), max_length=300, blank=True
    )
    description = models.TextField(_("Beschreibung"))
    description_en = models.TextField(_("Beschreibung (englisch)"), blank=True)
    level = models.CharField(_("Zuständige Ebene"), max_length=10, choices=Level.choices)
    responsible_authority = models.CharField(
        _("Zuständige Stelle"),
        max_length=200,
        help_text=_("z. B. Meldebehörde, Fahrerlaubnisbehörde, untere Bauaufsichtsbehörde"),
    )
    responsible_authority_en = models.CharField(max_length=200, blank=True)
    origin = models.TextField(
        _("Herkunft (EfA)"), blank=True, help_text=_("Einer-für-Alle-Herkunft und Betrieb")
    )
    origin_en = models.TextField(blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    prerequisites = models.ManyToManyField(
        Prerequisite, blank=True, related_name="services", verbose_name=_("Voraussetzungen")
    )
    fachverfahren = models.ManyToManyField(
        Fachverfahren,
        blank=True,
        related_name="services",
        verbose_name=_("Kompatible Fachverfahren"),
    )
    funding_programme = models.ForeignKey(
        FundingProgramme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("Förderprogramm"),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")

    def __str__(self) -> str:
        return self.name


class CostItem(TranslatedFieldsMixin, models.Model):
    class Recurrence(models.TextChoices):
        ONE_OFF = "one_off", _("einmalig")
        YEARLY = "yearly", _("jährlich")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_items")
    label = models.CharField(_("Bezeichnung"), max_length=200)
    label_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)
    amount = models.DecimalField(_("Betrag (€)"), max_digits=12, decimal_places=2)
    recurrence = models.CharField(_("Turnus"), max_length=10, choices=Recurrence.choices)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenpositionen")

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} €"


class ServiceOffering(models.Model):
    """A service offered in one state, with the Fachverfahren and funding valid there.

    A service may be offered in some states only: ordering refuses it elsewhere
    (catalog.rules) and the catalog lists where it is offered. Rows are written by the
    opening of a state (catalog.opening).
    """

    state = models.ForeignKey(
        State, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("Bundesland")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("Leistung")
    )
    fachverfahren = models.ManyToManyField(
        Fachverfahren,
        blank=True,
        related_name="offerings",
        verbose_name=_("Fachverfahren im Land"),
    )
    funding_programme = models.ForeignKey(
        FundingProgramme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("Förderprogramm im Land"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state__ags", "service__position", "service__name"]
        verbose_name = _("Angebot im Land")
        verbose_name_plural = _("Angebote in den Ländern")
        constraints = [
            models.UniqueConstraint(fields=["state", "service"], name="one_offering_per_state")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.state}"
