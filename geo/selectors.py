"""Reads of the geography: what the database holds, summed for the import commands."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db.models import Count, Manager, Model, Q, QuerySet, Sum

from geo.models import Authority, DataImport, District, Municipality, Region, State

_M = TypeVar("_M", bound=Model)

STATES_GEOJSON = "germany_states.geojson"


@dataclass(frozen=True)
class GeodataStock:
    states: int
    regions: int
    landkreise: int
    cities: int
    municipalities: int
    population: int
    authorities: int

    @property
    def districts(self) -> int:
        return self.landkreise + self.cities

    def __str__(self) -> str:
        def n(value: int) -> str:
            return f"{value:,}".replace(",", ".")

        return (
            f"{n(self.states)} {'Land' if self.states == 1 else 'Länder'}, "
            f"{n(self.regions)} Regierungsbezirke, "
            f"{n(self.districts)} Kreise ({n(self.landkreise)} Landkreise, "
            f"{n(self.cities)} kreisfreie Städte), {n(self.municipalities)} Gemeinden mit "
            f"{n(self.population)} Einwohnern, {n(self.authorities)} Behörden"
        )


def geodata_stock(states: list[str] | None = None) -> GeodataStock:
    """Counts of the imported geography, for the given state keys (None: all of them)."""

    def scoped(queryset: Manager[_M] | QuerySet[_M], field: str) -> Manager[_M] | QuerySet[_M]:
        return queryset.filter(**{f"{field}__in": states}) if states else queryset

    districts = scoped(District.objects, "state__ags").aggregate(
        landkreise=Count("pk", filter=Q(kind=District.Kind.LANDKREIS)),
        cities=Count("pk", filter=Q(kind=District.Kind.KREISFREIE_STADT)),
    )
    # The current Gebietsstand: a municipality ended by a merger lives on in its successor.
    municipalities = scoped(Municipality.current, "state__ags").aggregate(
        count=Count("pk"), population=Sum("population")
    )
    return GeodataStock(
        states=scoped(State.objects, "ags").count(),
        regions=scoped(Region.objects, "state__ags").count(),
        landkreise=districts["landkreise"],
        cities=districts["cities"],
        municipalities=municipalities["count"],
        population=municipalities["population"] or 0,
        authorities=scoped(Authority.objects.filter(ended_on__isnull=True), "state__ags").count(),
    )


def current_gebietsstand() -> datetime.date | None:
    """The Gebietsstand the figures count on: that of the newest import that recorded one."""
    return (
        DataImport.objects.filter(gebietsstand__isnull=False)
        .order_by("-created_at")
        .values_list("gebietsstand", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ReferenceState:
    """A state as the reference data names it, whether or not it is imported."""

    ags: str
    name: str
    population: int


def reference_states() -> list[ReferenceState]:
    """The 16 states of the shipped boundaries (DIGITALMARKT_DATA_DIR), by key.

    The federal view and the opening of a state list every state, also those not imported yet.
    """
    path = Path(settings.DIGITALMARKT_DATA_DIR) / STATES_GEOJSON
    if not path.is_file():
        return []
    return list(_reference_states(str(path)))


@lru_cache(maxsize=4)
def _reference_states(path: str) -> tuple[ReferenceState, ...]:
    with open(path, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return tuple(
        sorted(
            (
                ReferenceState(
                    ags=str(f["properties"]["ags"]),
                    name=str(f["properties"]["name"]),
                    population=int(f["properties"].get("population") or 0),
                )
                for f in features
            ),
            key=lambda state: state.ags,
        )
    )
