"""Germany's administrative geography and the authorities that order and run services.

Keys are the official ones (AGS, ARS) so that a newer Gemeindeverzeichnis updates rows in
place. Every municipality is served by exactly one municipal-level authority (itself, its
Verwaltungsgemeinschaft or, for a kreisfreie Stadt, the city) and one district-level
authority (its Landratsamt or the kreisfreie Stadt): two foreign keys make coverage a sum.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The administrative level responsible for a service."""

    MUNICIPAL = "municipal", _("Gemeindeebene")
    DISTRICT = "district", _("Kreisebene")


class State(models.Model):
    ags = models.CharField(_("Schlüssel"), max_length=2, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    target_services = models.PositiveSmallIntegerField(
        _("Ziel: flächendeckende Leistungen"), default=5
    )
    target_date = models.DateField(_("Zieldatum"), default=datetime.date(2026, 12, 31))
    # The opening of a state (catalog.opening): its general contractor, the operator's
    # confirmation of its responsibility rules, and the moment it was opened. Until then its
    # authorities can neither join nor order; the importer creates states closed.
    general_contractor = models.CharField(
        _("Generalunternehmer"),
        max_length=200,
        blank=True,
        help_text=_("Wer die Einführung im Land steuert, z. B. AKDB in Bayern."),
    )
    responsibility_confirmed_at = models.DateTimeField(
        _("Zuständigkeiten bestätigt am"), null=True, blank=True
    )
    opened_at = models.DateTimeField(_("Eröffnet am"), null=True, blank=True)

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Bundesland")
        verbose_name_plural = _("Bundesländer")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """Whether its authorities may join and order (set only by catalog.opening)."""
        return self.opened_at is not None


class Region(models.Model):
    """A Regierungsbezirk. Not every state has them."""

    ags = models.CharField(_("Schlüssel"), max_length=3, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="regions")

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Regierungsbezirk")
        verbose_name_plural = _("Regierungsbezirke")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A Landkreis or a kreisfreie Stadt (Stadtkreis)."""

    class Kind(models.TextChoices):
        LANDKREIS = "landkreis", _("Landkreis")
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")

    ags = models.CharField(_("Schlüssel"), max_length=5, unique=True)
    # Indexed: the coordination's order list sorts by it (walks districts by name).
    name = models.CharField(_("Name"), max_length=150, db_index=True)
    official_name = models.CharField(_("Amtlicher Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", null=True, blank=True
    )
    population = models.PositiveIntegerField(_("Einwohner"), default=0)
    area_km2 = models.DecimalField(_("Fläche (km²)"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Kreis")
        verbose_name_plural = _("Kreise")

    def __str__(self) -> str:
        if self.kind == self.Kind.LANDKREIS:
            return _("Landkreis %(name)s") % {"name": self.name}
        return str(self.name)


class Authority(models.Model):
    """The body that orders and runs services (Behörde)."""

    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("Gemeindeverwaltung")
        VERWALTUNGSGEMEINSCHAFT = "vg", _("Verwaltungsgemeinschaft")
        LANDRATSAMT = "landratsamt", _("Landratsamt")
        KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")

    # Official key: 8-digit AGS (Gemeinde, kreisfreie Stadt), 9-digit ARS prefix (VG),
    # 5-digit district AGS (Landratsamt). Prefixed by kind in `code` to stay unique.
    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    key = models.CharField(_("Amtlicher Schlüssel"), max_length=12, db_index=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    # Indexed: the coordination's order list sorts by it, and then reads a page of orders
    # authority by authority instead of sorting all of them.
    name = models.CharField(_("Name"), max_length=200, db_index=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="authorities")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="authorities", null=True, blank=True
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="authorities")
    is_municipal_level = models.BooleanField(_("Gemeindeebene"), default=False)
    is_district_level = models.BooleanField(_("Kreisebene"), default=False)
    # Sum of the population of the municipalities it serves at its level; kept by the importer
    # so that coverage reports add integers instead of joining 10,000 municipalities.
    population = models.PositiveIntegerField(_("Einwohner im Zuständigkeitsbereich"), default=0)
    postal_code = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    # Set by the import when a newer Gebietsstand no longer has the territory it served (a
    # merger): kept, because staff and orders point at it, but responsible for nothing since.
    ended_on = models.DateField(_("Beendet zum Gebietsstand"), null=True, blank=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("Behörde")
        verbose_name_plural = _("Behörden")
        indexes = [
            models.Index(fields=["state", "is_municipal_level"]),
            models.Index(fields=["state", "is_district_level"]),
        ]

    def __str__(self) -> str:
        return self.name

    def serves_level(self, level: str) -> bool:
        return self.is_municipal_level if level == Level.MUNICIPAL else self.is_district_level


class CurrentManager(models.Manager["Municipality"]):
    """The municipalities of the current Gebietsstand (not ended by a newer import)."""

    def get_queryset(self) -> models.QuerySet[Municipality]:
        return super().get_queryset().filter(ended_on__isnull=True)


class Municipality(models.Model):
    """A politically independent Gemeinde."""

    ags = models.CharField(_("AGS"), max_length=8, unique=True)
    ars = models.CharField(_("ARS"), max_length=12, db_index=True)
    name = models.CharField(_("Name"), max_length=150)
    official_name = models.CharField(_("Amtlicher Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=40)
    kind_code = models.CharField(_("Textkennzeichen"), max_length=2, blank=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="municipalities")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="municipalities")
    association_name = models.CharField(_("Verwaltungsverband"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    population = models.PositiveIntegerField(_("Einwohner"), default=0)
    area_km2 = models.DecimalField(_("Fläche (km²)"), max_digits=10, decimal_places=2, default=0)
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    municipal_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="municipalities_served",
        verbose_name=_("Zuständige Verwaltung (Gemeindeebene)"),
        null=True,
        blank=True,
    )
    district_authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="district_municipalities_served",
        verbose_name=_("Zuständige Behörde (Kreisebene)"),
        null=True,
        blank=True,
    )
    # A municipality missing from a newer Gebietsstand is ended at that date, not deleted:
    # orders and users refer to it through its authority. Ended ones count nowhere afterwards.
    ended_on = models.DateField(_("Beendet zum Gebietsstand"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("Aufgegangen in"),
        help_text=_("Die Gemeinde, in der die beendete Gemeinde aufgegangen ist."),
    )

    objects = models.Manager()
    current = CurrentManager()

    class Meta:
        ordering = ["ags"]
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")

    def __str__(self) -> str:
        return self.name


class DataImport(models.Model):
    """One successful reference-data import; lets setup skip an import of unchanged files."""

    source = models.CharField(_("Quelle"), max_length=10)
    states = models.CharField(_("Bundesländer"), max_length=100)
    digest = models.CharField(_("Prüfsumme der Dateien"), max_length=64, db_index=True)
    # The date of the source's territory (Destatis: "Gebietsstand am …"); None before issue 14.
    gebietsstand = models.DateField(_("Gebietsstand"), null=True, blank=True)
    counts = models.JSONField(_("Ergebnis"), default=dict)
    created_at = models.DateTimeField(_("Importiert am"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Datenimport")
        verbose_name_plural = _("Datenimporte")

    def __str__(self) -> str:
        return f"{self.source} {self.states} {self.created_at:%Y-%m-%d %H:%M}"
