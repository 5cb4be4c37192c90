"""The federal view: the agreement's own target per state, for all 16 states at once.

The agreement of the federal digital ministry and Bavaria: in every state at least five
services flächendeckend by the end of 2026. Per state: services offered, services
flächendeckend against the state's target, services in roll-in, responsible authorities live
and inhabitants covered per service, and the pace against the state's target date. States
that are not open (or not even imported) are shown as such, never as zero.

Aggregates come from reports.coverage (one set of queries for all open states), so the page's
queries do not grow with the orders; the pace is one function (`state_pace`) so another
method of projecting can replace it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Service, ServiceOffering
from geo.models import State
from geo.selectors import reference_states
from reports import coverage as cov
from reports.projection import DEFAULT_WINDOW_WEEKS, project_full_coverage
from reports.tables import Column, Table


@dataclass(frozen=True)
class StatePace:
    """How many services the state will have flächendeckend by its target date, at today's pace."""

    # Services flächendeckend now, or projected to be by the target date.
    services_by_target: int
    target_services: int
    target_date: datetime.date

    @property
    def on_track(self) -> bool:
        return self.services_by_target >= self.target_services


@dataclass
class ServiceInState:
    service: Service
    offered: bool
    figures: cov.Figures


@dataclass
class FederalState:
    ags: str
    name: str
    # None: the territory is not imported; a State that is not open is shown likewise.
    state: State | None
    services: list[ServiceInState] = field(default_factory=list)
    pace: StatePace | None = None

    @property
    def is_open(self) -> bool:
        return self.state is not None and self.state.is_open

    @property
    def offered(self) -> int:
        return sum(1 for s in self.services if s.offered)

    @property
    def full(self) -> int:
        return sum(1 for s in self.services if s.figures.is_full)

    @property
    def in_rollin(self) -> int:
        """Services ordered somewhere in the state but not yet flächendeckend."""
        return sum(1 for s in self.services if s.figures.ordered > 0 and not s.figures.is_full)

    @property
    def target(self) -> int:
        return self.state.target_services if self.state is not None else 0

    @property
    def target_met(self) -> bool:
        return self.is_open and self.full >= self.target


@dataclass
class FederalOverview:
    services: list[Service]
    states: list[FederalState]
    window_weeks: int

    @property
    def open_states(self) -> list[FederalState]:
        return [s for s in self.states if s.is_open]

    @property
    def states_target_met(self) -> int:
        return sum(1 for s in self.states if s.target_met)


def federal_overview(*, window_weeks: int = DEFAULT_WINDOW_WEEKS) -> FederalOverview:
    """Every state of the reference data, with the figures of the open ones."""
    services = list(cov.coverage_services())
    rows = {s.ags: s for s in State.objects.order_by("ags")}
    open_states = [s for s in rows.values() if s.is_open]
    # Totals per state are all the page shows: no district breakdown is built.
    now_figures = cov.coverage_totals_for_states(open_states, services)
    today = timezone.localdate()
    window_start = today - datetime.timedelta(weeks=window_weeks)
    # Live at the window's start: the coverage trend (maintained live-day rows) on that day.
    live_before = cov.live_on(open_states, services, window_start)
    offered = _offered(open_states)
    names = {ref.ags: ref.name for ref in reference_states()}
    for ags, row in rows.items():
        names.setdefault(ags, row.name)
    result = []
    for ags, name in sorted(names.items()):
        state = rows.get(ags)
        entry = FederalState(ags=ags, name=state.name if state else name, state=state)
        if state is not None and state.is_open:
            entry.services = [
                ServiceInState(s, (state.pk, s.pk) in offered, now_figures[(s.pk, state.pk)])
                for s in services
            ]
            entry.pace = state_pace(
                state,
                entry.services,
                live_before,
                today=today,
                window_weeks=window_weeks,
            )
        result.append(entry)
    return FederalOverview(services=services, states=result, window_weeks=window_weeks)


def _offered(states: list[State]) -> set[tuple[int, int]]:
    return set(
        ServiceOffering.objects.filter(state__in=states).values_list("state_id", "service_id")
    )


def state_pace(
    state: State,
    services: list[ServiceInState],
    live_window_start: dict[tuple[int, int], int],
    *,
    today: datetime.date,
    window_weeks: int,
) -> StatePace:
    """The pace of the coverage drive per state: each service projected at its net gain of
    live authorities over the window (reports.projection), counted if full by the target."""
    reached = 0
    for entry in services:
        projection = project_full_coverage(
            responsible=entry.figures.responsible,
            live=entry.figures.live,
            live_window_start=live_window_start.get((entry.service.pk, state.pk), 0),
            window_weeks=window_weeks,
            today=today,
            target_date=state.target_date,
        )
        if entry.figures.responsible > 0 and projection.meets_target:
            reached += 1
    return StatePace(
        services_by_target=reached,
        target_services=state.target_services,
        target_date=state.target_date,
    )


# --- Tables (page, CSV, XLSX) and the map --------------------------------------------------

STATE_COLUMNS = [
    Column("state", _("Land")),
    Column("status", _("Status")),
    Column("offered", _("Leistungen angeboten"), "int"),
    Column("full", _("Leistungen flächendeckend"), "int"),
    Column("target", _("Ziel"), "int"),
    Column("in_rollin", _("Leistungen in Einführung"), "int"),
    Column("by_target", _("Flächendeckend zum Zieldatum (bei aktuellem Tempo)"), "int"),
    Column("target_date", _("Zieldatum"), "date"),
    Column("on_track", _("Ziel erreichbar"), "bool"),
]


def status_label(entry: FederalState) -> str:
    if entry.state is None:
        return str(_("noch nicht eröffnet (Gebiet nicht importiert)"))
    if not entry.is_open:
        return str(_("noch nicht eröffnet"))
    return str(_("eröffnet"))


def states_table(overview: FederalOverview, *, urls: dict[str, str]) -> Table:
    """One row per state, the open ones first (their figures are what the page is for); a
    state not open has its status and no figures (–, not 0). `urls`: state reports by key."""
    table = Table(
        slug="laender",
        caption=_("Ziel der Vereinbarung je Land: Leistungen flächendeckend"),
        columns=STATE_COLUMNS,
    )
    ordered = sorted(overview.states, key=lambda entry: (not entry.is_open, entry.ags))
    for entry in ordered:
        row: dict[str, object] = {"state": entry.name, "status": status_label(entry)}
        figures = dict.fromkeys(
            ("offered", "full", "target", "in_rollin", "by_target", "target_date", "on_track")
        )
        if entry.is_open and entry.pace is not None:
            figures.update(
                offered=entry.offered,
                full=entry.full,
                target=entry.target,
                in_rollin=entry.in_rollin,
                by_target=entry.pace.services_by_target,
                target_date=entry.pace.target_date,
                on_track=entry.pace.on_track,
            )
            if entry.ags in urls:
                row["state_url"] = urls[entry.ags]
        row.update(figures)
        table.rows.append(row)
    return table


def services_table(overview: FederalOverview) -> Table:
    """Per open state and service: responsible authorities live and inhabitants covered."""
    table = Table(
        slug="leistungen-je-land",
        caption=_("Behörden live und versorgte Einwohner je Land und Leistung"),
        columns=[
            Column("state", _("Land")),
            Column("service", _("Leistung")),
            Column("offered", _("Angeboten"), "bool"),
            Column("responsible", _("Zuständige Behörden"), "int"),
            Column("live", _("Behörden live"), "int"),
            Column("share_live", _("Anteil Behörden live"), "pct"),
            Column("population", _("Einwohner im Zuständigkeitsbereich"), "int"),
            Column("population_live", _("Einwohner versorgt"), "int"),
            Column("share_population", _("Anteil Bevölkerung versorgt"), "pct"),
            Column("is_full", _("Flächendeckend"), "bool"),
        ],
    )
    for entry in overview.open_states:
        for item in entry.services:
            table.rows.append(
                {
                    "state": entry.name,
                    "service": item.service.display_name,
                    "offered": item.offered,
                    **item.figures.as_dict(),
                }
            )
    return table


# Map classes by services flächendeckend: 0, 1–2, 3–4, 5 and more (the agreement's five).
FULL_CLASSES = [(0, 0), (1, 2), (3, 4), (5, None)]


def full_class(count: int) -> int:
    for index, (low, high) in enumerate(FULL_CLASSES):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def full_counts(overview: FederalOverview) -> dict[str, int | None]:
    """Services flächendeckend per state key; None for a state that is not open."""
    return {entry.ags: (entry.full if entry.is_open else None) for entry in overview.states}
