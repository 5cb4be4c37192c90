"""A small world for the coordination pages: Bavaria (two regions, three districts) and Hesse."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from geo.models import Authority, District, Region, State
from tests import factories
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import RollinFactory


@dataclass
class World:
    bavaria: State
    hesse: State
    kelheim: District
    regen: District
    muenchen_land: District
    darmstadt: District
    oberbayern: Region
    fuehrerschein: Any
    meldung: Any
    coordinator: Any
    hesse_coordinator: Any


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # Argon2 per factory-made user would dominate the run time of 50-order tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    bavaria = factories.StateFactory()
    hesse = factories.StateFactory(ags="06", name="Hessen")
    niederbayern = factories.RegionFactory()
    oberbayern = factories.RegionFactory(ags="091", name="Oberbayern", state=bavaria)
    kelheim = factories.DistrictFactory()
    regen = factories.DistrictFactory(
        ags="09276", name="Regen", official_name="Regen", region=niederbayern
    )
    muenchen_land = factories.DistrictFactory(
        ags="09184", name="München", official_name="München", region=oberbayern
    )
    darmstadt = factories.DistrictFactory(
        ags="06411",
        name="Darmstadt",
        official_name="Darmstadt, Wissenschaftsstadt",
        kind=District.Kind.KREISFREIE_STADT,
        region=None,
        state=hesse,
    )
    return World(
        darmstadt=darmstadt,
        bavaria=bavaria,
        hesse=hesse,
        kelheim=kelheim,
        regen=regen,
        muenchen_land=muenchen_land,
        oberbayern=oberbayern,
        fuehrerschein=DistrictServiceFactory(slug="fuehrerschein", name="Führerschein"),
        meldung=ServiceFactory(slug="meldebescheinigung", name="Meldebescheinigung"),
        coordinator=factories.CoordinatorFactory(
            email="koordination@example.org", states=[bavaria]
        ),
        hesse_coordinator=factories.CoordinatorFactory(
            email="koordination-hessen@example.org", states=[hesse]
        ),
    )


def past(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def order_in(
    district: District,
    service: Any,
    *,
    stage: str = "bestellt",
    created_at: datetime.datetime | None = None,
    contract_document: bool = False,
    **kwargs: Any,
) -> Any:
    """An order of a fresh authority in `district` (one active order per authority+service),
    its roll-in at `stage`; `status`, `due_at`, `live_at`, `assignee` as RollinFactory takes."""
    authority = factories.AuthorityFactory(
        district=district,
        key=f"{district.ags}{Authority.objects.count() + 100:03d}",
    )
    return RollinFactory(
        order__authority=authority,
        order__service=service,
        at=stage,
        placed=created_at,
        contract_uploaded=contract_document,
        **{key: value for key, value in kwargs.items() if value is not None},
    ).order


# (stage, status, due in days (negative = overdue), district attribute, service attribute)
MIX = [
    ("bestellt", None, 3, "kelheim", "fuehrerschein"),
    ("vertrag", None, -2, "kelheim", "fuehrerschein"),
    ("vertrag", "on_hold", -5, "regen", "meldung"),
    ("anbindung", "failing", 4, "muenchen_land", "meldung"),
    ("wirkbetrieb", None, -9, "kelheim", "meldung"),
    ("kickoff", None, -1, "muenchen_land", "fuehrerschein"),
    ("test", "cancelled", -3, "regen", "fuehrerschein"),
    ("anbindung", None, None, "regen", "meldung"),
    ("schulung", None, 10, "kelheim", "meldung"),
    ("bestellt", None, -20, "muenchen_land", "meldung"),
]


def populate(world: World, count: int) -> list[Any]:
    """`count` Bavarian orders cycling through MIX, placed over the last months."""
    orders = []
    for i in range(count):
        stage, status, due_days, district, service = MIX[i % len(MIX)]
        orders.append(
            order_in(
                getattr(world, district),
                getattr(world, service),
                stage=stage,
                status=status,
                due_at=None if due_days is None else past(-due_days),
                created_at=past(7 * (i % 30) + 1),
                live_at=past(7 * (i % 12)) if stage == "wirkbetrieb" else None,
            )
        )
    return orders
