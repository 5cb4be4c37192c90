"""The service catalog: what can be ordered, what it needs and what it costs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geo.models import Authority, Level, Municipality, State
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
        return self.display_name


class Fachverfahren(TranslatedFieldsMixin, models.Model):
    """Specialist software an authority runs, or the interface standard it must speak."""

    vendor = models.CharField(_("Hersteller"), max_length=150, blank=True)
    product = models.CharField(_("Produkt"), max_length=150)
    # Where no product can be named, `product` describes the software ("XMeld-fähiges
    # Einwohnermeldeverfahren"): a description, so it has its English form like every text.
    product_en = models.CharField(_("Produkt (englisch)"), max_length=150, blank=True)
    interface_standard = models.CharField(_("Schnittstelle / Standard"), max_length=100)
    interface_standard_en = models.CharField(
        _("Schnittstelle / Standard (englisch)"), max_length=100, blank=True
    )
    min_version = models.CharField(_("Mindestversion"), max_length=50, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)
    note_en = models.TextField(_("Hinweis (englisch)"), blank=True)

    class Meta:
        ordering = ["product", "vendor"]
        verbose_name = _("Fachverfahren")
        verbose_name_plural = _("Fachverfahren")

    def __str__(self) -> str:
        # In the reader's language: order pages, forms and e-mails show it as is.
        label = f"{self.vendor} {self.localized('product')}".strip()
        return f"{label} ({self.localized('interface_standard')})"

    @property
    def display_name(self) -> str:
        return self.localized("product")


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
        return self.display_name


class Service(TranslatedFieldsMixin, models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Verfügbar")
        PLANNED = "planned", _("In Planung")

    slug = models.SlugField(_("Kürzel"), unique=True)
    # Indexed: the coordination's order list sorts by it.
    name = models.CharField(_("Name"), max_length=150, db_index=True)
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
        # In the reader's language: selects, breadcrumbs and e-mails print the service as is.
        return self.display_name


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
    note_en = models.CharField(_("Hinweis (englisch)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenpositionen")

    def __str__(self) -> str:
        return f"{self.localized('label')}: {self.amount} €"


# --- Responsibility (Zuständigkeit) ---------------------------------------------------------


class ResponsibilityRule(models.Model):
    """How a state assigns a service: to which authority, for which municipalities, and why.

    Without a rule a service follows its level (`Service.level`). Rules are read by
    `catalog.responsibility.responsibility_rebuild`, which writes the municipalities whose
    responsible authority differs from the level as `Responsibility` rows.
    """

    class AppliesTo(models.TextChoices):
        ALL = "all", _("alle Gemeinden")
        GROSSE_KREISSTADT = "grosse_kreisstadt", _("Große Kreisstädte (Textkennzeichen 67)")
        TRANSFERRED = "transferred", _("Gemeinden mit übertragener Aufgabe (Liste)")

    class Provider(models.TextChoices):
        MUNICIPAL_LEVEL = "municipal", _("Gemeinde oder Verwaltungsgemeinschaft")
        DISTRICT_LEVEL = "district", _("Landratsamt oder kreisfreie Stadt")
        OWN = "own", _("die Gemeinde selbst")

    state = models.ForeignKey(
        State, on_delete=models.CASCADE, related_name="responsibility_rules",
        verbose_name=_("Bundesland"),
    )  # fmt: skip
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="responsibility_rules",
        verbose_name=_("Leistung"),
    )  # fmt: skip
    applies_to = models.CharField(_("Gilt für"), max_length=20, choices=AppliesTo.choices)
    provider = models.CharField(_("Zuständig"), max_length=10, choices=Provider.choices)
    legal_basis = models.TextField(_("Rechtsgrundlage"))

    class Meta:
        ordering = ["state", "service", "applies_to"]
        verbose_name = _("Zuständigkeitsregel")
        verbose_name_plural = _("Zuständigkeitsregeln")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "service", "applies_to"], name="one_rule_per_state_service_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.service} – {self.get_applies_to_display()}"


class TaskTransfer(models.Model):
    """A municipality to which the state transferred a service's task (e.g. Art. 53 Abs. 2 BayBO).

    Empty by default; operators keep it in the admin or import it (`import_task_transfers`).
    It takes effect through a rule "Gemeinden mit übertragener Aufgabe" of the state.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="task_transfers",
        verbose_name=_("Leistung"),
    )  # fmt: skip
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="task_transfers",
        verbose_name=_("Gemeinde"),
    )  # fmt: skip
    legal_basis = models.TextField(_("Rechtsgrundlage"))

    class Meta:
        ordering = ["service", "municipality"]
        verbose_name = _("Übertragene Aufgabe")
        verbose_name_plural = _("Übertragene Aufgaben")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "municipality"], name="one_transfer_per_service_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.municipality}"


class Responsibility(models.Model):
    """A municipality whose authority for a service is not the one its level gives.

    Everywhere else the level rule holds (the municipality's `municipal_authority` or
    `district_authority`), so the table holds the exceptions only: in Bavaria the 29 Große
    Kreisstädte for the building service. Rows with source "rule" are derived by
    `responsibility_rebuild`; rows with source "override" are operators' and win.
    """

    class Source(models.TextChoices):
        RULE = "rule", _("Regel")
        OVERRIDE = "override", _("Festlegung im Betrieb")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="responsibilities",
        verbose_name=_("Leistung"),
    )  # fmt: skip
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="responsibilities",
        verbose_name=_("Gemeinde"),
    )  # fmt: skip
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="responsibilities",
        verbose_name=_("Zuständige Behörde"),
    )  # fmt: skip
    source = models.CharField(
        _("Herkunft"), max_length=10, choices=Source.choices, default=Source.OVERRIDE
    )
    legal_basis = models.TextField(_("Rechtsgrundlage"))

    class Meta:
        ordering = ["service", "municipality"]
        verbose_name = _("Zuständigkeit (Ausnahme)")
        verbose_name_plural = _("Zuständigkeiten (Ausnahmen)")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "municipality"], name="one_responsibility_per_municipality"
            )
        ]
        indexes = [models.Index(fields=["service", "authority"])]

    def __str__(self) -> str:
        return f"{self.service}: {self.municipality} → {self.authority}"


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
