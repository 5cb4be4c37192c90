"""Coverage of services: how many responsible authorities, and how many people, a service reaches.

Everything is aggregated in the database with a handful of GROUP BY queries per state; Python
only adds up the per-district rows (about 100 per state) into regions and the state.

An authority is *responsible* for a service when it serves the service's level in the state.
It is *live* when its active order's roll-in is in Wirkbetrieb. For a past date the same is
derived from the roll-in history (the "advanced" entry into the live stage), so a trend is the
real history and not a snapshot.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Service
from geo.models import Authority, District, Level, Region, State
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


def _order_counts(
    states: list[State], as_of: datetime.datetime | None, services: list[Service] | None = None
) -> Iterable[Mapping[str, Any]]:
    """Ordered / live counts and live population per (service, district): one query."""
    orders = Order.objects.filter(_SERVES_LEVEL, authority__state__in=states)
    if services is not None:  # one service's report: its orders, not the state's 500,000
        orders = orders.filter(service__in=services)
    if as_of is None:
        orders = orders.filter(cancelled_at__isnull=True)
        live = Q(rollin__status=Rollin.Status.LIVE)
    else:
        orders = orders.filter(created_at__lte=as_of).filter(
            Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=as_of)
        )
        orders = orders.annotate(was_live=live_reached_at(as_of))
        live = Q(was_live=True)
    return (
        orders.values("service_id", "authority__district_id")
        .annotate(
            ordered=Count("id"),
            live=Count("id", filter=live),
            population_live=Sum("authority__population", filter=live),
        )
        .order_by()
    )


def _responsible_counts(states: list[State]) -> dict[int, Mapping[str, Any]]:
    """Responsible authorities and their population per district and level: one query."""
    rows = (
        Authority.objects.filter(state__in=states)
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
    """Coverage of several states at once (by state pk): the same five queries for 1 or 16."""
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
    by_district: dict[tuple[int, int], Figures] = {}
    responsible = _responsible_counts(states)
    for district in all_districts:
        row = responsible.get(district.pk)
        if row is None:
            continue
        for service in services:
            prefix = "municipal" if service.level == Level.MUNICIPAL else "district"
            figures = Figures(
                responsible=row[prefix] or 0, population=row[f"{prefix}_population"] or 0
            )
            by_district[(service.pk, district.pk)] = figures
            result[district.state_id].by_district[(service.pk, district.pk)] = figures
    service_ids = {service.pk for service in services}
    for row in _order_counts(states, as_of, requested):
        key = (row["service_id"], row["authority__district_id"])
        if row["service_id"] not in service_ids or key not in by_district:
            continue
        figures = by_district[key]
        figures.ordered = row["ordered"]
        figures.live = row["live"]
        figures.population_live = row["population_live"] or 0
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

    +1 on the day an order entered its live stage; -1 on the day such an order was cancelled.
    Two queries for all services of the state.
    """
    orders = Order.objects.filter(_SERVES_LEVEL, authority__state=state)
    if services is not None:  # one service's trend: its history, not the whole state's
        orders = orders.filter(service__in=services)
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
    events: dict[int, dict[datetime.date, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
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
    return {
        service_id: sorted((day, delta[0], delta[1]) for day, delta in days.items())
        for service_id, days in events.items()
    }


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
