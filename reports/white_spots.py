"""White spots: responsible authorities that have not ordered a service, and what they leave
uncovered.

"Responsible" is only ever asked of catalog.responsibility, so the page follows whatever rule
or table decides it. An authority is a white spot when it has no active (not cancelled) order
of the service. Every figure is aggregated in the database; the page runs the same number of
queries for a district as for all of Germany.

The totals reconcile with the coverage report: its gap (responsible authorities not live, the
inhabitants they serve) is exactly the white spots plus the authorities whose order is still
in its roll-in (split_of; the tests compare it with reports.coverage, counted apart).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, User
from catalog.models import Service
from catalog.responsibility import responsible_authorities
from geo.models import Authority, District, Region, State
from orders.models import Order
from reports.tables import Column, Table
from rollin.models import Rollin

# ?sort= values → order_by; nothing else reaches the query. Ties broken by name and id, so a
# page never shows an authority twice or skips one.
SORTS: dict[str, tuple[str, ...]] = {
    "-population": ("-served_population", "name", "id"),
    "population": ("served_population", "name", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "district": ("district__name", "name", "id"),
    "-district": ("-district__name", "name", "id"),
    "contact": ("last_contact", "-served_population", "id"),
    "-contact": ("-last_contact", "-served_population", "id"),
}
DEFAULT_SORT = "-population"


@dataclass(frozen=True)
class Area:
    """Where to look: the user's states (or one of them), optionally a region or district."""

    states: list[State]
    region: Region | None = None
    district: District | None = None

    # One page asks for the responsible authorities three times (list, split, one away);
    # their exceptions are read once per area and service.
    _responsible: dict[int, QuerySet[Authority]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def responsible(self, service: Service) -> QuerySet[Authority]:
        """The authorities responsible for `service` in this area."""
        if service.pk not in self._responsible:
            scoped = responsible_authorities(service, self.states)
            self._responsible[service.pk] = self.narrow(scoped)
        return self._responsible[service.pk]

    def narrow(self, authorities: QuerySet[Authority]) -> QuerySet[Authority]:
        if self.district is not None:
            return authorities.filter(district=self.district)
        if self.region is not None:
            return authorities.filter(region=self.region)
        return authorities


def _active_order(service: Service) -> QuerySet[Order]:
    return Order.objects.filter(
        authority_id=OuterRef("pk"), service=service, cancelled_at__isnull=True
    )


def white_spots(
    service: Service,
    area: Area,
    *,
    registered: bool | None = None,
    search: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Authority]:
    """The white spots of `service` in `area`, each with `served_population`,
    `is_registered` (someone of theirs has an active staff account) and `last_contact` (the
    newest invitation a coordinator sent to the authority)."""
    staff = User.objects.filter(authority_id=OuterRef("pk"), role=Role.STAFF, is_active=True)
    last_invitation = (
        Invitation.objects.filter(authority_id=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    spots = (
        area.responsible(service)
        .filter(~Exists(_active_order(service)))
        .annotate(is_registered=Exists(staff), last_contact=Subquery(last_invitation))
        .select_related("district", "region", "state")
    )
    if registered is not None:
        spots = spots.filter(is_registered=registered)
    if search.strip():
        spots = spots.filter(Q(name__icontains=search.strip()) | Q(key__startswith=search.strip()))
    return spots.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


@dataclass(frozen=True)
class Split:
    """The responsible authorities of an area split by where they stand (one query)."""

    responsible: int
    population: int
    live: int
    population_live: int
    in_rollin: int
    population_in_rollin: int
    white: int
    population_white: int

    @property
    def gap(self) -> int:
        return self.responsible - self.live

    @property
    def population_gap(self) -> int:
        return self.population - self.population_live


LIVE, IN_ROLLIN, WHITE = "live", "in_rollin", "white"


def _standing(service: Service) -> Case:
    """Where a responsible authority stands with `service`: live, in its roll-in, or a white
    spot. One value per row, so the database asks each authority's orders once whatever
    the page counts from it (a FILTER per figure would repeat the subqueries ten times)."""
    active = _active_order(service)
    return Case(
        When(Exists(active.filter(rollin__status=Rollin.Status.LIVE)), then=Value(LIVE)),
        When(Exists(active), then=Value(IN_ROLLIN)),
        default=Value(WHITE),
    )


def split_of(service: Service, area: Area) -> Split:
    """Responsible authorities: live, in their roll-in, and white spots, with population."""
    rows = (
        area.responsible(service)
        .annotate(standing=_standing(service))
        .values("standing")
        .annotate(count=Count("id"), population=Sum("served_population"))
        .order_by()
    )
    counts = {row["standing"]: (row["count"], row["population"] or 0) for row in rows}
    live, in_rollin, white = (counts.get(key, (0, 0)) for key in (LIVE, IN_ROLLIN, WHITE))
    return Split(
        responsible=live[0] + in_rollin[0] + white[0],
        population=live[1] + in_rollin[1] + white[1],
        live=live[0],
        population_live=live[1],
        in_rollin=in_rollin[0],
        population_in_rollin=in_rollin[1],
        white=white[0],
        population_white=white[1],
    )


@dataclass(frozen=True)
class OneAway:
    """A district where a single responsible authority has not ordered yet."""

    district_id: int
    district_name: str
    authority_name: str
    population: int


def one_away(service: Service, area: Area) -> list[OneAway]:
    """Districts one order away from every responsible authority having ordered (one query):
    exactly one white spot among two or more responsible authorities (a kreisfreie Stadt alone
    in its district is always "one away" and tells a coordinator nothing). Max() over a
    district's single white spot is that authority's value."""
    rows = (
        area.responsible(service)
        .annotate(has_order=Exists(_active_order(service)))
        .values("district_id", "district__name", "has_order")
        .annotate(count=Count("id"), name=Max("name"), population=Max("served_population"))
        .order_by()
    )
    responsible: dict[int, int] = defaultdict(int)
    spots: dict[int, Mapping[str, Any]] = {}
    for row in rows:
        responsible[row["district_id"]] += row["count"]
        if not row["has_order"]:
            spots[row["district_id"]] = row
    found = [
        OneAway(
            district_id=district_id,
            district_name=row["district__name"],
            authority_name=row["name"],
            population=row["population"] or 0,
        )
        for district_id, row in spots.items()
        if row["count"] == 1 and responsible[district_id] > 1
    ]
    return sorted(found, key=lambda spot: (spot.district_name, spot.district_id))


COLUMNS = [
    Column("name", _("Behörde")),
    Column("kind", _("Art")),
    Column("key", _("Amtlicher Schlüssel")),
    Column("district", _("Kreis")),
    Column("region", _("Regierungsbezirk")),
    Column("state", _("Land")),
    Column("population", _("Einwohner ohne Versorgung"), "int"),
    Column("registered", _("Registriert"), "bool"),
    Column("last_contact", _("Letzter Kontakt"), "date"),
]


def _last_contact_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value is not None else None


def white_spot_row(authority: Any) -> dict[str, Any]:
    return {
        "name": authority.name,
        "kind": authority.get_kind_display(),
        "key": authority.key,
        "district": authority.district.name,
        "region": authority.region.name if authority.region else "",
        "state": authority.state.name,
        "population": authority.served_population or 0,
        "registered": authority.is_registered,
        "last_contact": _last_contact_day(authority.last_contact),
    }


def white_spot_table(authorities: Iterable[Any], service: Service) -> Table:
    """The export: every white spot of the filter, numbers as numbers, dates as dates."""
    return Table(
        slug="weisse-flecken",
        caption=_("Weiße Flecken: %(service)s") % {"service": service.display_name},
        columns=COLUMNS,
        rows=[white_spot_row(authority) for authority in authorities],
    )
