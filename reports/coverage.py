"""Coverage of services: how many responsible authorities, and how many people, a service reaches.

Everything is aggregated in the database with a handful of GROUP BY queries per state; Python
only adds up the per-district rows (about 100 per state) into regions and the state.

An authority is *responsible* for a service where `catalog.responsibility` says so: by the
service's level, except for the municipalities the responsibility table gives to another
authority (in Bavaria the Große Kreisstädte for the building service). The level part is
counted per district in the database; the exceptions, a few rows per state, correct it in
Python. Authorities and municipalities ended by a newer Gebietsstand count up to that date
only. An authority is *live* when its active order's roll-in is in Wirkbetrieb. For a past
date the same is derived from the roll-in history (the "advanced" entry into the live stage),
so a trend is the real history and not a snapshot.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Responsibility, Service
from geo.models import Authority, District, Level, Municipality, Region, State
from orders.models import Order
from rollin.models import HistoryEntry, Rollin

# An order counts for the level it was placed at only if the authority serves that level.
_SERVES_LEVEL = Q(service__level=Level.MUNICIPAL, authority__is_municipal_level=True) | Q(
    service__level=Level.DISTRICT, authority__is_district_level=True
)


def percent(part: int, whole: int) -> Decimal:
    """Share in percent with one decimal, rounded half up; never 100.0 unless part == whole."""
    if whole <= 0:
        return Decimal("0.0")
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if value == 100 and part < whole:
        # 99.96 % would round to 100.0 and read as flächendeckend; it is not.
        return Decimal("99.9")
    return value


@dataclass
class Figures:
    """Coverage of one service in one area."""

    responsible: int = 0
    live: int = 0
    population: int = 0
    population_live: int = 0
    ordered: int = 0

    @property
    def in_progress(self) -> int:
        return self.ordered - self.live

    @property
    def share_live(self) -> Decimal:
        return percent(self.live, self.responsible)

    @property
    def share_population(self) -> Decimal:
        return percent(self.population_live, self.population)

    @property
    def is_full(self) -> bool:
        """flächendeckend: every responsible authority is live (99.9 % is not)."""
        return self.responsible > 0 and self.live == self.responsible

    def add(self, other: Figures) -> None:
        self.responsible += other.responsible
        self.live += other.live
        self.population += other.population
        self.population_live += other.population_live
        self.ordered += other.ordered

    def as_dict(self) -> dict[str, object]:
        return {
            "responsible": self.responsible,
            "live": self.live,
            "share_live": self.share_live,
            "population": self.population,
            "population_live": self.population_live,
            "share_population": self.share_population,
            "is_full": self.is_full,
            "ordered": self.ordered,
            "in_progress": self.in_progress,
        }


@dataclass
class StateCoverage:
    """Coverage of every service of a state, by district, region and for the whole state."""

    state: State
    as_of: datetime.datetime | None
    services: list[Service]
    regions: list[Region]
    districts: list[District]
    by_district: dict[tuple[int, int], Figures] = field(default_factory=dict)

    def district(self, service: Service, district: District) -> Figures:
        return self.by_district.get((service.pk, district.pk)) or Figures()

    def region(self, service: Service, region: Region) -> Figures:
        total = Figures()
        for district in self.districts:
            if district.region_id == region.pk:
                total.add(self.district(service, district))
        return total

    def total(self, service: Service) -> Figures:
        total = Figures()
        for district in self.districts:
            total.add(self.district(service, district))
        return total

    def full_services(self) -> list[Service]:
        return [service for service in self.services if self.total(service).is_full]


def live_reached_at(as_of: datetime.datetime) -> Exists:
    """Whether the order's roll-in had entered its live stage at or before `as_of`."""
    return Exists(
        HistoryEntry.objects.filter(
            rollin__order=OuterRef("pk"),
            action=HistoryEntry.Action.ADVANCED,
            to_stage__is_live=True,
            created_at__lte=as_of,
        )
    )


def _authority_current(as_of: datetime.datetime | None, prefix: str = "") -> Q:
    """The authority had not been ended by a Gebietsstand at `as_of` (None: now)."""
    if as_of is None:
        return Q(**{f"{prefix}ended_on__isnull": True})
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(
        **{f"{prefix}ended_on__gt": timezone.localdate(as_of)}
    )


def _active_orders(
    as_of: datetime.datetime | None, orders: QuerySet[Order] | None = None
) -> tuple[QuerySet[Order], Q]:
    """The orders active at `as_of` (None: now) and the condition that one was live then."""
    orders = Order.objects.all() if orders is None else orders
    if as_of is None:
        return orders.filter(cancelled_at__isnull=True), Q(rollin__status=Rollin.Status.LIVE)
    orders = orders.filter(created_at__lte=as_of).filter(
        Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=as_of)
    )
    return orders.annotate(was_live=live_reached_at(as_of)), Q(was_live=True)


def _order_counts(
    states: list[State], as_of: datetime.datetime | None, services: list[Service] | None = None
) -> Iterable[Mapping[str, Any]]:
    """Ordered / live counts and live population per (service, district), by level: one query."""
    orders = Order.objects.filter(
        _SERVES_LEVEL, _authority_current(as_of, "authority__"), authority__state__in=states
    )
    if services is not None:  # one service's report: its orders, not the state's 500,000
        orders = orders.filter(service__in=services)
    orders, live = _active_orders(as_of, orders)
    return (
        orders.values("service_id", "authority__district_id")
        .annotate(
            ordered=Count("id"),
            live=Count("id", filter=live),
            population_live=Sum("authority__population", filter=live),
        )
        .order_by()
    )


def _responsible_counts(
    states: list[State], as_of: datetime.datetime | None = None
) -> dict[int, Mapping[str, Any]]:
    """Authorities and their population per district and level, by level: one query."""
    rows = (
        Authority.objects.filter(_authority_current(as_of), state__in=states)
        .values("district_id")
        .annotate(
            municipal=Count("id", filter=Q(is_municipal_level=True)),
            municipal_population=Sum("population", filter=Q(is_municipal_level=True)),
            district=Count("id", filter=Q(is_district_level=True)),
            district_population=Sum("population", filter=Q(is_district_level=True)),
        )
        .order_by()
    )
    return {row["district_id"]: row for row in rows}


@dataclass(frozen=True)
class _Exception:
    """A municipality whose authority for a service is not its level's (see catalog)."""

    service_id: int
    population: int
    district_id: int  # the municipality's
    authority_id: int
    authority_district_id: int
    authority_by_level: bool  # the authority serves the service's level anyway
    default_id: int | None  # the authority the level rule names
    default_district_id: int | None


def _exceptions(
    states: list[State], services: list[Service], as_of: datetime.datetime | None
) -> list[_Exception]:
    """The responsibility table's rows for the states' municipalities at `as_of`: one query."""
    rows = Responsibility.objects.filter(
        _authority_current(as_of, "authority__"),
        municipality__state__in=states,
        service__in=services,
    )
    if as_of is None:
        rows = rows.filter(municipality__ended_on__isnull=True)
    else:
        rows = rows.filter(
            Q(municipality__ended_on__isnull=True)
            | Q(municipality__ended_on__gt=timezone.localdate(as_of))
        )
    result = []
    values: Iterable[Mapping[str, Any]] = rows.values(
        "service_id", "service__level", "municipality__population",
        "municipality__district_id", "authority_id", "authority__district_id",
        "authority__is_municipal_level", "authority__is_district_level",
        "municipality__municipal_authority_id", "municipality__municipal_authority__district_id",
        "municipality__district_authority_id", "municipality__district_authority__district_id",
    ).order_by()  # fmt: skip
    for row in values:
        level = "municipal" if row["service__level"] == Level.MUNICIPAL else "district"
        default_id = row[f"municipality__{level}_authority_id"]
        if default_id == row["authority_id"]:
            continue  # an override that confirms the level rule changes nothing
        result.append(
            _Exception(
                service_id=row["service_id"],
                population=row["municipality__population"],
                district_id=row["municipality__district_id"],
                authority_id=row["authority_id"],
                authority_district_id=row["authority__district_id"],
                authority_by_level=row[f"authority__is_{level}_level"],
                default_id=default_id,
                default_district_id=row[f"municipality__{level}_authority__district_id"],
            )
        )
    return result


def _order_status(
    exceptions: list[_Exception], as_of: datetime.datetime | None
) -> dict[tuple[int, int], bool]:
    """(authority, service) → live? for the active orders of the authorities in exceptions."""
    authority_ids = {e.authority_id for e in exceptions} | {
        e.default_id for e in exceptions if e.default_id is not None
    }
    if not authority_ids:
        return {}
    orders, live = _active_orders(
        as_of,
        Order.objects.filter(
            authority__in=authority_ids, service__in={e.service_id for e in exceptions}
        ),
    )
    return {
        (row["authority_id"], row["service_id"]): bool(row["is_live"])
        for row in orders.annotate(is_live=Count("id", filter=live))
        .values("authority_id", "service_id", "is_live")
        .order_by()
    }


def _served_counts(exceptions: list[_Exception]) -> dict[tuple[int, str], int]:
    """(authority, level) → municipalities it serves by level, for the displaced ones: one query."""
    ids = {e.default_id for e in exceptions if e.default_id is not None}
    if not ids:
        return {}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = Municipality.current.filter(
        Q(municipal_authority__in=ids) | Q(district_authority__in=ids)
    ).values_list("municipal_authority_id", "district_authority_id")
    for municipal_id, district_id in rows:
        counts[(municipal_id, "municipal")] += 1
        counts[(district_id, "district")] += 1
    return counts


def _apply_exceptions(
    by_district: dict[tuple[int, int], Figures],
    exceptions: list[_Exception],
    status: dict[tuple[int, int], bool],
    served: dict[tuple[int, str], int],
    levels: dict[int, str],
) -> None:
    """Move the excepted municipalities' inhabitants from the level's authority to theirs.

    An authority that serves a service only by exception is added once (responsible, ordered,
    live); one whose whole area went to others is removed.
    """

    def figures(service_id: int, district_id: int | None) -> Figures:
        return by_district.setdefault((service_id, district_id or 0), Figures())

    added: set[tuple[int, int]] = set()
    displaced: dict[tuple[int, int], int] = defaultdict(int)
    for e in exceptions:
        if e.default_id is not None:
            figures(e.service_id, e.default_district_id).population -= e.population
            if status.get((e.default_id, e.service_id)):
                figures(e.service_id, e.default_district_id).population_live -= e.population
            displaced[(e.default_id, e.service_id)] += 1
        target = figures(e.service_id, e.district_id)
        target.population += e.population
        if status.get((e.authority_id, e.service_id)):
            target.population_live += e.population
        if not e.authority_by_level and (e.authority_id, e.service_id) not in added:
            added.add((e.authority_id, e.service_id))
            key = (e.authority_id, e.service_id)
            _count(figures(e.service_id, e.authority_district_id), status.get(key), 1)
    districts = {(e.default_id, e.service_id): e.default_district_id for e in exceptions}
    for (authority_id, service_id), count in displaced.items():
        if count >= served.get((authority_id, levels[service_id]), 0):
            gone = figures(service_id, districts[(authority_id, service_id)])
            _count(gone, status.get((authority_id, service_id)), -1)


def _count(figures: Figures, live: bool | None, sign: int) -> None:
    """Add (sign 1) or remove (-1) one responsible authority; `live` None: it has no order."""
    figures.responsible += sign
    if live is not None:
        figures.ordered += sign
        figures.live += sign * live


def coverage_for_state(
    state: State,
    *,
    as_of: datetime.datetime | None = None,
    services: list[Service] | None = None,
) -> StateCoverage:
    """Coverage of the state's services; `as_of` None = now from the roll-in status."""
    return coverage_for_states([state], as_of=as_of, services=services)[state.pk]


@dataclass(frozen=True)
class Areas:
    """The districts and regions of some states, in key order."""

    districts: list[District]
    regions: list[Region]


def areas_of(states: list[State]) -> Areas:
    return Areas(
        districts=list(District.objects.filter(state__in=states).order_by("ags")),
        regions=list(Region.objects.filter(state__in=states).order_by("ags")),
    )


def coverage_for_states(
    states: list[State],
    *,
    as_of: datetime.datetime | None = None,
    services: list[Service] | None = None,
    areas: Areas | None = None,
) -> dict[int, StateCoverage]:
    """Coverage of several states at once (by state pk): the same five queries for 1 or 16.

    `areas` (from areas_of) lets a caller that counts the same states at two moments load
    their districts and regions once.
    """
    requested = services
    if services is None:
        services = list(coverage_services())
    chosen = areas if areas is not None else areas_of(states)
    all_districts, all_regions = chosen.districts, chosen.regions
    result = {
        state.pk: StateCoverage(
            state=state,
            as_of=as_of,
            services=services,
            regions=[r for r in all_regions if r.state_id == state.pk],
            districts=[d for d in all_districts if d.state_id == state.pk],
        )
        for state in states
    }
    by_district: dict[tuple[int, int], Figures] = {}
    responsible = _responsible_counts(states, as_of)
    for district in all_districts:
        row = responsible.get(district.pk)
        if row is None:
            continue
        for service in services:
            prefix = "municipal" if service.level == Level.MUNICIPAL else "district"
            by_district[(service.pk, district.pk)] = Figures(
                responsible=row[prefix] or 0, population=row[f"{prefix}_population"] or 0
            )
    service_ids = {service.pk for service in services}
    for row in _order_counts(states, as_of, requested):
        key = (row["service_id"], row["authority__district_id"])
        if row["service_id"] not in service_ids or key not in by_district:
            continue
        figures = by_district[key]
        figures.ordered = row["ordered"]
        figures.live = row["live"]
        figures.population_live = row["population_live"] or 0
    exceptions = _exceptions(states, services, as_of)
    if exceptions:
        _apply_exceptions(
            by_district,
            exceptions,
            _order_status(exceptions, as_of),
            _served_counts(exceptions),
            {service.pk: service.level for service in services},
        )
    state_of = {district.pk: district.state_id for district in all_districts}
    for (service_id, district_id), figures in by_district.items():
        if district_id in state_of:
            result[state_of[district_id]].by_district[(service_id, district_id)] = figures
    return result


def coverage_services() -> QuerySet[Service]:
    """The services reports cover: those that can be ordered now."""
    return Service.objects.filter(status=Service.Status.AVAILABLE).order_by("name")


# --- Trend from the history -----------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    date: datetime.date
    live: int
    population_live: int


def live_events(
    state: State, services: list[Service] | None = None
) -> dict[int, list[tuple[datetime.date, int, int]]]:
    """Per service: (day, Δ authorities live, Δ population live), summed per day in the database.

    +1 on the day an order entered its live stage; -1 on the day such an order was cancelled,
    or its authority was ended by a newer Gebietsstand (the territory as it was then). The
    orders of ended authorities and of those the responsibility table concerns (a few per
    state) are added up in Python with the population they actually serve.
    """
    orders = Order.objects.filter(authority__state=state)
    if services is not None:  # one service's trend: its history, not the whole state's
        orders = orders.filter(service__in=services)
    special = _special_pairs(state, services)
    by_level = orders.filter(_SERVES_LEVEL, authority__ended_on__isnull=True).exclude(
        authority__in={authority for authority, _service in special},
        service__in={service for _authority, service in special},
    )
    events: dict[int, dict[datetime.date, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    _add_level_events(events, by_level)
    _add_special_events(events, orders, special)
    return {
        service_id: sorted((day, delta[0], delta[1]) for day, delta in days.items())
        for service_id, days in events.items()
    }


_Events = dict[int, dict[datetime.date, list[int]]]


def _add_level_events(events: _Events, orders: QuerySet[Order]) -> None:
    """Two GROUP BY queries over the orders the level rule decides alone."""
    went_live = (
        HistoryEntry.objects.filter(
            rollin__order__in=orders, action=HistoryEntry.Action.ADVANCED, to_stage__is_live=True
        )
        .annotate(day=TruncDate("created_at"))
        .values("rollin__order__service_id", "day")
        .annotate(count=Count("id"), population=Sum("rollin__order__authority__population"))
        .order_by()
    )
    cancelled = (
        orders.filter(cancelled_at__isnull=False)
        .annotate(was_live=live_reached_at(timezone.now()))
        .filter(was_live=True)
        .annotate(day=TruncDate("cancelled_at"))
        .values("service_id", "day")
        .annotate(count=Count("id"), population=Sum("authority__population"))
        .order_by()
    )
    row: Mapping[str, Any]
    for row in went_live:
        delta = events[row["rollin__order__service_id"]][row["day"]]
        delta[0] += row["count"]
        delta[1] += row["population"] or 0
    for row in cancelled:
        delta = events[row["service_id"]][row["day"]]
        delta[0] -= row["count"]
        delta[1] -= row["population"] or 0


def _special_pairs(state: State, services: list[Service] | None) -> dict[tuple[int, int], int]:
    """(authority, service) → inhabitants served, where exceptions move them: two queries."""
    rows = Responsibility.objects.filter(
        municipality__state=state, municipality__ended_on__isnull=True
    )
    if services is not None:
        rows = rows.filter(service__in=services)
    pairs: dict[tuple[int, int], int] = {}
    moved = list(
        rows.values_list(
            "service_id", "service__level", "authority_id", "municipality__population",
            "municipality__municipal_authority_id", "municipality__district_authority_id",
        )
    )  # fmt: skip
    ids = {row[2] for row in moved} | {row[4] for row in moved} | {row[5] for row in moved}
    authorities = {
        pk: (population, municipal, district)
        for pk, population, municipal, district in Authority.objects.filter(pk__in=ids).values_list(
            "id", "population", "is_municipal_level", "is_district_level"
        )
    }
    for service_id, level, authority_id, population, municipal_id, district_id in moved:
        default_id = municipal_id if level == Level.MUNICIPAL else district_id
        if default_id == authority_id:
            continue
        for pk in (authority_id, default_id):
            if (pk, service_id) not in pairs and pk in authorities:
                base, municipal, district = authorities[pk]
                flagged = municipal if level == Level.MUNICIPAL else district
                pairs[(pk, service_id)] = base if flagged else 0
        pairs[(authority_id, service_id)] += population
        if default_id in authorities:
            pairs[(default_id, service_id)] -= population
    return pairs


def _add_special_events(
    events: _Events, orders: QuerySet[Order], special: dict[tuple[int, int], int]
) -> None:
    """Orders of ended authorities and of the pairs exceptions concern: one row per order."""
    authorities = {authority for authority, _service in special}
    chosen = orders.filter(
        Q(authority__ended_on__isnull=False)
        | Q(authority__in=authorities, service__in={service for _a, service in special})
    )
    rows = chosen.annotate(
        went_live=Min(
            "rollin__history__created_at",
            filter=Q(
                rollin__history__action=HistoryEntry.Action.ADVANCED,
                rollin__history__to_stage__is_live=True,
            ),
        )
    ).values_list(
        "authority_id", "service_id", "service__level", "authority__population",
        "authority__is_municipal_level", "authority__is_district_level",
        "authority__ended_on", "cancelled_at", "went_live",
    )  # fmt: skip
    for (
        authority_id, service_id, level, population, municipal, district, ended_on, cancelled_at,
        went_live,
    ) in rows:  # fmt: skip
        if (authority_id, service_id) in special:
            served = special[(authority_id, service_id)]
        elif municipal if level == Level.MUNICIPAL else district:
            served = population
        else:
            continue  # neither by level nor by exception: the order never counted
        if went_live is None or (served <= 0 and ended_on is None):
            continue
        start = timezone.localdate(went_live)
        stops = [
            day for day in (ended_on, cancelled_at and timezone.localdate(cancelled_at)) if day
        ]
        stop = min(stops) if stops else None
        if stop is not None and stop < start:
            continue
        events[service_id][start][0] += 1
        events[service_id][start][1] += served
        if stop is not None:
            events[service_id][stop][0] -= 1
            events[service_id][stop][1] -= served


def trend_points(
    events: list[tuple[datetime.date, int, int]], dates: list[datetime.date]
) -> list[TrendPoint]:
    """Authorities and population live at the end of each given day."""
    points = []
    for date in sorted(dates):
        live = sum(delta for day, delta, _pop in events if day <= date)
        population = sum(pop for day, _delta, pop in events if day <= date)
        points.append(TrendPoint(date=date, live=live, population_live=population))
    return points


def trend(state: State, service: Service, dates: list[datetime.date]) -> list[TrendPoint]:
    return trend_points(live_events(state).get(service.pk, []), dates)


def end_of_day(date: datetime.date) -> datetime.datetime:
    """The last moment of a local calendar day: coverage "on" a date includes that day."""
    start = datetime.datetime.combine(date + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start) - datetime.timedelta(microseconds=1)


def weekly_dates(today: datetime.date, weeks: int) -> list[datetime.date]:
    """Today and the same weekday of each of the previous `weeks` weeks, oldest first."""
    return [today - datetime.timedelta(weeks=n) for n in range(weeks, -1, -1)]
