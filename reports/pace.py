"""Will we make it? Per service: the weekly rate of authorities going live needed from today to
reach every responsible authority by the target date, beside the rate of the last four weeks.

The needed rate counts every responsible authority not yet live (white spots and roll-ins
under way alike: both must still go live). The achieved rate is the net number that went live
in the window (cancellations of live orders subtract), divided by its weeks. Several states
add up: each needs its own rate towards its own target date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from catalog.models import Service
from geo.models import State
from reports import coverage as cov

WINDOW_WEEKS = 4


def _rate(count: int, weeks: Decimal) -> Decimal:
    return (Decimal(count) / weeks).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class ServicePace:
    service: Service
    responsible: int = 0
    ordered: int = 0
    live: int = 0
    # Net authorities gone live in the last WINDOW_WEEKS weeks.
    gained: int = 0
    # Authorities per week needed to reach all by the target date; None when a state's target
    # date has passed with authorities still missing (no rate can make it any more).
    needed_per_week: Decimal | None = Decimal(0)

    @property
    def white_spots(self) -> int:
        return self.responsible - self.ordered

    @property
    def missing(self) -> int:
        return self.responsible - self.live

    @property
    def achieved_per_week(self) -> Decimal:
        return _rate(self.gained, Decimal(WINDOW_WEEKS))

    @property
    def on_track(self) -> bool:
        if self.missing <= 0:
            return True
        return self.needed_per_week is not None and self.achieved_per_week >= self.needed_per_week

    def add_state(self, figures: cov.Figures, live_window_start: int, weeks_left: Decimal) -> None:
        self.responsible += figures.responsible
        self.ordered += figures.ordered
        self.live += figures.live
        self.gained += figures.live - live_window_start
        missing = figures.responsible - figures.live
        if missing <= 0 or self.needed_per_week is None:
            return
        if weeks_left <= 0:
            self.needed_per_week = None
            return
        self.needed_per_week += _rate(missing, weeks_left)


def weeks_until(target_date: datetime.date, today: datetime.date) -> Decimal:
    """Weeks from today to the end of the target day (the target day still counts)."""
    return Decimal((target_date - today).days + 1) / Decimal(7)


def window_start(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(weeks=WINDOW_WEEKS)


def pace_of_state(
    state: State,
    rows: Iterable[tuple[Service, cov.Figures, int]],
    *,
    today: datetime.date | None = None,
) -> list[ServicePace]:
    """The pace of one state from what its report already holds (no query): per service its
    figures now and the authorities live at the start of the window."""
    today = today or timezone.localdate()
    paces = []
    for service, figures, before in rows:
        pace = ServicePace(service=service)
        pace.add_state(figures, before, weeks_until(state.target_date, today))
        paces.append(pace)
    return paces


def pace_for_states(
    states: Iterable[State],
    *,
    today: datetime.date | None = None,
    services_loaded: list[Service] | None = None,
) -> list[ServicePace]:
    """The pace of every reported service over `states`: the coordinator overview carries it
    beside its own figures. The same queries for one state or sixteen, and all of them read
    rows of a fixed size (the coverage and live-day figures rollin.figures maintains), not the
    orders ever placed.

    Counts exactly as the coverage report (the tests compare both): its figures now and its
    trend at the start of the window."""
    states = list(states)
    today = today or timezone.localdate()
    if services_loaded is None:
        services = list(cov.coverage_services())
    else:
        services = cov.coverage_services_among(services_loaded)
    if not states or not services:
        return [ServicePace(service=service) for service in services]
    totals = cov.coverage_totals_for_states(states, services)
    live_before = cov.live_on(states, services, window_start(today))
    paces = []
    for service in services:
        pace = ServicePace(service=service)
        for state in states:
            before = live_before.get((service.pk, state.pk), 0)
            pace.add_state(
                totals[(service.pk, state.pk)], before, weeks_until(state.target_date, today)
            )
        paces.append(pace)
    return paces
