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

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from catalog.models import Responsibility, Service
from geo.models import Authority, District, Level, Municipality, Region, State
from orders.models import Order
from rollin.models import (
    CoverageFigure,
    HistoryEntry,
    LiveDayFigure,
    LiveTotalFigure,
    Rollin,
    StateCoverageFigure,
)

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


@dataclass(slots=True)
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
    """Ordered / live counts and live population per (service, district), by level: one query.
    Now: the rows rollin.figures maintains with every change (a few hundred per state, however
    many orders were ever placed). A past moment: counted from the orders and their history."""
    if as_of is None:
        figures = CoverageFigure.objects.filter(state__in=states)
        if services is not None:
            figures = figures.filter(service__in=services)
        return figures.values(
            "service_id",
            "ordered",
            "live",
            "population_live",
            authority__district_id=F("district_id"),
        )
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


def _level_keys(service: Service) -> tuple[str, str]:
    """The columns of _responsible_counts that count the service's level."""
    if service.level == Level.MUNICIPAL:
        return "municipal", "municipal_population"
    return "district", "district_population"


def _responsible_counts(
    states: list[State], as_of: datetime.datetime | None = None, area: str = "district_id"
) -> dict[int, Mapping[str, Any]]:
    """Authorities and their population per district (or state) and level: one query."""
    rows = (
        Authority.objects.filter(_authority_current(as_of), state__in=states)
        .values(area)
        .annotate(
            municipal=Count("id", filter=Q(is_municipal_level=True)),
            municipal_population=Sum("population", filter=Q(is_municipal_level=True)),
            district=Count("id", filter=Q(is_district_level=True)),
            district_population=Sum("population", filter=Q(is_district_level=True)),
        )
        .order_by()
    )
    return {row[area]: row for row in rows}


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


def coverage_for_states(
    states: list[State],
    *,
    as_of: datetime.datetime | None = None,
    services: list[Service] | None = None,
) -> dict[int, StateCoverage]:
    """Coverage of several states at once (by state pk): the same queries for 1 or 16."""
    requested = services
    if services is None:
        services = list(coverage_services())
    all_districts = list(District.objects.filter(state__in=states).order_by("ags"))
    all_regions = list(Region.objects.filter(state__in=states).order_by("ags"))
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
    # One dict for all states (districts are theirs alone): 16 states × 50 services are
    # 20,000 entries, built once and not copied per state.
    by_district: dict[tuple[int, int], Figures] = {}
    responsible = _responsible_counts(states, as_of)
    level_keys = [(service.pk, *_level_keys(service)) for service in services]
    for district in all_districts:
        row = responsible.get(district.pk)
        if row is None:
            continue
        for service_id, count_key, population_key in level_keys:
            by_district[(service_id, district.pk)] = Figures(
                row[count_key] or 0, 0, row[population_key] or 0
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
    for coverage in result.values():
        coverage.by_district = by_district
    return result


def coverage_totals_for_states(
    states: list[State], services: list[Service]
) -> dict[tuple[int, int], Figures]:
    """Coverage now per (service, state pk), the totals of coverage_for_states without the
    district breakdown: a few hundred figures for 16 states × 50 services instead of 20,000
    (the coordinator overview's pace needs no more). The same rules: the level's authorities,
    the maintained order rows per state (StateCoverageFigure), the exceptions moved at state
    granularity."""
    totals: dict[tuple[int, int], Figures] = {}
    responsible = _responsible_counts(states, area="state_id")
    for state in states:
        row = responsible.get(state.pk) or {}
        for service in services:
            count_key, population_key = _level_keys(service)
            totals[(service.pk, state.pk)] = Figures(
                row.get(count_key) or 0, 0, row.get(population_key) or 0
            )
    # The districts' rows added up per state, as the transitions keep them.
    rows = StateCoverageFigure.objects.filter(state__in=states, service__in=services).values(
        "service_id", "state_id", "ordered", "live", "population_live"
    )
    for row in rows:
        figures = totals[(row["service_id"], row["state_id"])]
        figures.ordered, figures.live = row["ordered"], row["live"]
        figures.population_live = row["population_live"] or 0
    exceptions = _exceptions(states, services, None)
    if exceptions:
        state_of = dict(District.objects.filter(state__in=states).values_list("pk", "state_id"))
        coarse = [
            dataclasses.replace(
                e,
                district_id=state_of.get(e.district_id, 0),
                authority_district_id=state_of.get(e.authority_district_id, 0),
                default_district_id=e.default_district_id
                and state_of.get(e.default_district_id, 0),
            )
            for e in exceptions
        ]
        _apply_exceptions(
            totals,
            coarse,
            _order_status(exceptions, None),
            _served_counts(exceptions),
            {service.pk: service.level for service in services},
        )
    return totals


def coverage_services() -> QuerySet[Service]:
    """The services reports cover: those that can be ordered now."""
    return Service.objects.filter(status=Service.Status.AVAILABLE).order_by("name")


def coverage_services_among(services: list[Service]) -> list[Service]:
    """coverage_services' choice and order from services a page has loaded already."""
    chosen = [service for service in services if service.status == Service.Status.AVAILABLE]
    return sorted(chosen, key=lambda service: service.name)


# --- Trend from the history -----------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    date: datetime.date
    live: int
    population_live: int


def live_events(
    state: State, services: list[Service] | None = None
) -> dict[int, list[tuple[datetime.date, int, int]]]:
    """Per service: (day, Δ authorities live, Δ population live), summed per day.

    +1 on the day a roll-in went live; -1 on the day such an order was cancelled, or its
    authority was ended by a newer Gebietsstand (the territory as it was then).
    """
    return live_events_for_states([state], services)[state.pk]


_Events = dict[int, dict[int, dict[datetime.date, list[int]]]]  # state → service → day → Δ


def live_events_for_states(
    states: list[State], services: list[Service] | None = None
) -> dict[int, dict[int, list[tuple[datetime.date, int, int]]]]:
    """live_events of several states (by state pk) in the same five queries for 1 or 16.

    The days of the orders the level rule decides are the rows rollin.figures maintains with
    every transition (a few per service and day, however many orders). The orders the
    responsibility table concerns and those of ended authorities (a few per state) are taken
    out of them and added up here with the inhabitants they actually serve.
    """
    events = _special_events(states, services)
    rows = LiveDayFigure.objects.filter(state__in=states)
    if services is not None:  # one service's trend: its rows, not the whole state's
        rows = rows.filter(service__in=services)
    for state_id, service_id, day, live, population in rows.values_list(
        "state_id", "service_id", "day", "live", "population_live"
    ):
        delta = events[state_id][service_id][day]
        delta[0] += live
        delta[1] += population
    return {
        state.pk: {
            service_id: sorted((day, delta[0], delta[1]) for day, delta in days.items())
            for service_id, days in events[state.pk].items()
        }
        for state in states
    }


def live_on(
    states: list[State], services: list[Service], day: datetime.date
) -> dict[tuple[int, int], int]:
    """Authorities live at the end of `day` per (service, state pk): the trend's value on one
    day (see live_on_days)."""
    return live_on_days(states, services, [day])[day]


def live_on_days(
    states: list[State], services: list[Service], days: list[datetime.date]
) -> dict[datetime.date, dict[tuple[int, int], int]]:
    """The trend's values on a few days, per day and (service, state pk), summed in the
    database. The live count at the end of a day is the maintained total of all live-day rows
    (LiveTotalFigure) less the rows after that day: a state's rows of the days since the
    earliest of `days`, not every day since its first go-live, which grow with the years.
    The same queries for any number of days."""
    live: dict[datetime.date, dict[tuple[int, int], int]] = {day: defaultdict(int) for day in days}
    # One query: the totals on every day, and beside them, negated, the days after each.
    totals = (
        LiveTotalFigure.objects.filter(state__in=states, service__in=services)
        .values("state_id", "service_id")
        .annotate(**{f"d{n}": F("live") for n in range(len(days))})
    )
    later = (
        LiveDayFigure.objects.filter(state__in=states, service__in=services, day__gt=min(days))
        .values("state_id", "service_id")
        .annotate(**{f"d{n}": Sum(-F("live"), filter=Q(day__gt=day)) for n, day in enumerate(days)})
        .order_by()
    )
    rows: Iterable[Mapping[str, Any]] = totals.union(later, all=True)
    for row in rows:
        for n, day in enumerate(days):
            live[day][(row["service_id"], row["state_id"])] += row[f"d{n}"] or 0
    for state_id, by_service in _special_events(states, services).items():
        for service_id, deltas in by_service.items():
            series = [(when, d[0], d[1]) for when, d in deltas.items()]
            for point in trend_points(series, days):
                live[point.date][(service_id, state_id)] += point.live
    return live


def _special_events(states: list[State], services: list[Service] | None) -> _Events:
    """The corrections to the maintained live-day rows (see _add_special_events): three
    queries, a few rows per state."""
    events: _Events = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))
    _add_special_events(events, states, services, _special_pairs(states, services))
    return events


def _special_pairs(
    states: list[State], services: list[Service] | None
) -> dict[tuple[int, int], int]:
    """(authority, service) → inhabitants served, where exceptions move them: two queries."""
    rows = Responsibility.objects.filter(
        municipality__state__in=states, municipality__ended_on__isnull=True
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
    events: _Events,
    states: list[State],
    services: list[Service] | None,
    special: dict[tuple[int, int], int],
) -> None:
    """Orders of ended authorities and of the pairs exceptions concern: one row per order.

    Those the level rule counted in the maintained rows (current authorities serving the
    service's level) are first taken out again with the rows' own rule, then added with the
    inhabitants they serve and their own end."""
    # By authority (one semi-join on the orders' index), not by an OR across the join, which
    # would read every order of the states.
    authorities = Authority.objects.filter(
        Q(state__in=states, ended_on__isnull=False) | Q(pk__in={a for a, _service in special})
    )
    special_services = {service for _authority, service in special}
    chosen = Order.objects.filter(authority__in=authorities.values("pk"))
    if services is not None:
        chosen = chosen.filter(service__in=services)
    rows = chosen.values_list(
        "authority_id", "authority__state_id", "service_id", "service__level",
        "authority__population", "authority__is_municipal_level", "authority__is_district_level",
        "authority__ended_on", "cancelled_at", "rollin__live_at",
    )  # fmt: skip
    for (
        authority_id, state_id, service_id, level, population, municipal, district, ended_on,
        cancelled_at, went_live,
    ) in rows:  # fmt: skip
        if ended_on is None and service_id not in special_services:
            continue  # an excepted authority's order of a service no exception concerns
        by_level = municipal if level == Level.MUNICIPAL else district
        days = events[state_id][service_id]
        if went_live is None:
            continue
        start = timezone.localdate(went_live)
        cancelled_on = cancelled_at and timezone.localdate(cancelled_at)
        if by_level and ended_on is None:  # counted in the maintained rows: take it out
            _shift(days, start, cancelled_on, -1, population)
        if (authority_id, service_id) in special:
            served = special[(authority_id, service_id)]
        elif by_level:
            served = population
        else:
            continue  # neither by level nor by exception: the order never counted
        if served <= 0 and ended_on is None:
            continue
        stops = [day for day in (ended_on, cancelled_on) if day]
        stop = min(stops) if stops else None
        if stop is not None and stop < start:
            continue
        _shift(days, start, stop, 1, served)


def _shift(
    days: dict[datetime.date, list[int]],
    start: datetime.date,
    stop: datetime.date | None,
    sign: int,
    population: int,
) -> None:
    """Add (sign 1) or take out (-1) one authority live from `start` until `stop`."""
    days[start][0] += sign
    days[start][1] += sign * population
    if stop is not None:
        days[stop][0] -= sign
        days[stop][1] -= sign * population


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
