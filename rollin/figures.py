"""Figures maintained with every change: what the overview and the reports show, kept in rows.

A roll-in *contributes* to a few figure rows: its state × service × stage × status, the week
its order was placed, the week it went live, the day it is due while open, and — where its
authority is current and serves the service's level — its district × service coverage while
the order is active, the days it went live (+1) and, if cancelled after, went away (−1), and
while it waits, its state × whose turn × whether a coordinator took it on.
The transition function takes the contribution before and after the writer's mutation and
adds the difference in the same transaction (`figures_track`), so the pages read rows of a
fixed size whatever the number of orders. The additions are upserts that increment in the
database (INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n): two workers changing the
same state × service at once both count, neither overwrites the other.

Changes that touch many figures at once (a new Gebietsstand and an operator's move of an
ended municipality's orders call it for their states, see rollin.apps; rows written by COPY
or by hand) are followed by `figures_rebuild`, which recomputes the rows of the given states
from the base tables (`manage.py rebuild_figures`, also the repair tool).
`figures_recomputed` and `figures_maintained` read both sides in one shape, for the rebuild
and the tests.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from accounts.models import User
from geo.models import Level, State
from orders.models import Order
from portal.reference_version import reference_changed
from rollin import figure_versions
from rollin.models import (
    CoverageFigure,
    DueFigure,
    LiveDayFigure,
    LiveTotalFigure,
    Rollin,
    StageDefinition,
    StateCoverageFigure,
    StatusFigure,
    WaitingFigure,
    WeekFigure,
)
from rollin.waiting import waiting_on_refresh

Status = Rollin.Status
CLOSED = (Status.LIVE, Status.CANCELLED)


@dataclass(frozen=True)
class FigureTable:
    """A figure model, the fields that key its rows and the count columns it adds up."""

    model: type[models.Model]
    keys: tuple[str, ...]
    counts: tuple[str, ...]


STATUS = FigureTable(StatusFigure, ("state", "service", "stage", "status"), ("orders",))
WEEK = FigureTable(WeekFigure, ("state", "week"), ("placed", "live"))
DUE = FigureTable(DueFigure, ("state", "due_on"), ("open",))
COVERAGE = FigureTable(
    CoverageFigure, ("state", "district", "service"), ("ordered", "live", "population_live")
)
STATE_COVERAGE = FigureTable(
    StateCoverageFigure, ("state", "service"), ("ordered", "live", "population_live")
)
LIVE_DAY = FigureTable(LiveDayFigure, ("state", "service", "day"), ("live", "population_live"))
LIVE_TOTAL = FigureTable(LiveTotalFigure, ("state", "service"), ("live",))
WAITING = FigureTable(WaitingFigure, ("state", "waiting_on", "assigned"), ("orders",))
TABLES = (STATUS, WEEK, DUE, COVERAGE, STATE_COVERAGE, LIVE_DAY, LIVE_TOTAL, WAITING)

# (table, key values, count column) → how much the roll-in adds there.
Contribution = Counter[tuple[FigureTable, tuple[Any, ...], str]]


def week_of(moment: datetime.datetime) -> datetime.date:
    day = timezone.localdate(moment)
    return day - datetime.timedelta(days=day.weekday())


def contribution(rollin: Rollin) -> Contribution:
    """What one roll-in counts for. Reads the order (and its authority) the caller loaded."""
    order = rollin.order
    state_id = order.authority.state_id
    parts: Contribution = Counter()
    parts[(STATUS, (state_id, order.service_id, rollin.stage_id, rollin.status), "orders")] += 1
    parts[(WEEK, (state_id, week_of(order.created_at)), "placed")] += 1
    if rollin.live_at is not None:
        parts[(WEEK, (state_id, week_of(rollin.live_at)), "live")] += 1
    if rollin.due_at is not None and rollin.status not in CLOSED:
        parts[(DUE, (state_id, timezone.localdate(rollin.due_at)), "open")] += 1
    if rollin.waiting_on:
        parts[
            (WAITING, (state_id, rollin.waiting_on, rollin.assignee_id is not None), "orders")
        ] += 1
    if serves_by_level(order):
        population = order.authority.population
        if order.cancelled_at is None:
            for table, key in (
                (COVERAGE, (state_id, order.authority.district_id, order.service_id)),
                (STATE_COVERAGE, (state_id, order.service_id)),
            ):
                parts[(table, key, "ordered")] += 1
                if rollin.status == Status.LIVE:
                    parts[(table, key, "live")] += 1
                    parts[(table, key, "population_live")] += population
        if rollin.live_at is not None:
            went_live = (state_id, order.service_id, timezone.localdate(rollin.live_at))
            parts[(LIVE_DAY, went_live, "live")] += 1
            parts[(LIVE_DAY, went_live, "population_live")] += population
            parts[(LIVE_TOTAL, (state_id, order.service_id), "live")] += 1
            if order.cancelled_at is not None:
                gone = (state_id, order.service_id, timezone.localdate(order.cancelled_at))
                parts[(LIVE_DAY, gone, "live")] -= 1
                parts[(LIVE_DAY, gone, "population_live")] -= population
                parts[(LIVE_TOTAL, (state_id, order.service_id), "live")] -= 1
    return parts


def serves_by_level(order: Order) -> bool:
    """A current authority that serves the order's service by its level: such orders are
    counted in the coverage rows (the responsibility table's exceptions, a few per state,
    are applied when a report reads them, see reports.coverage)."""
    authority = order.authority
    return authority.ended_on is None and authority.serves_level(order.service.level)


# The same rule as a filter over roll-ins, for the recomputation.
SERVES_BY_LEVEL = Q(order__authority__ended_on__isnull=True) & (
    Q(order__service__level=Level.MUNICIPAL, order__authority__is_municipal_level=True)
    | Q(order__service__level=Level.DISTRICT, order__authority__is_district_level=True)
)


def figures_track(before: Contribution, after: Contribution) -> None:
    """Add the difference between two contributions of a roll-in (inside its transaction).
    Steps that change no figure — most of the worker's — cost no query."""
    delta: Counter[tuple[FigureTable, tuple[Any, ...], str]] = Counter(after)
    delta.subtract(before)
    by_table: dict[FigureTable, dict[tuple[Any, ...], dict[str, int]]] = defaultdict(dict)
    for (table, key, column), n in delta.items():
        if n:
            by_table[table].setdefault(key, dict.fromkeys(table.counts, 0))[column] += n
    for table in TABLES:  # a fixed order of tables and keys: concurrent upserts cannot deadlock
        if table in by_table:
            _upsert(table, sorted(by_table[table].items(), key=lambda kv: _sortable(kv[0])))
    if by_table:
        # Every table's first key is the state.
        states = {key[0] for rows in by_table.values() for key in rows}
        figure_versions.figures_changed(states, _kinds_changed(by_table))


def _kinds_changed(by_table: dict[FigureTable, Any]) -> list[str]:
    """Status figures change with every step; the orders per service and stage only when one
    is placed, moves on or is cancelled; the due days when a stage is entered or a roll-in
    closed; the lifecycle (placed, live, cancelled) only where a week, coverage or live-day
    row moves or an order enters or leaves a closed status (an order cancelled before it
    went live touches no other table)."""
    status_rows = by_table.get(STATUS, {})
    lifecycle = any(
        t in by_table for t in (WEEK, COVERAGE, STATE_COVERAGE, LIVE_DAY, LIVE_TOTAL)
    ) or any(key[3] in CLOSED for key in status_rows)
    kinds = [figure_versions.STATUS]
    if _stage_counts_moved(status_rows):
        kinds.append(figure_versions.STAGE)
    if DUE in by_table:
        kinds.append(figure_versions.DUE)
    if lifecycle:
        kinds.append(figure_versions.LIFECYCLE)
    return kinds


def _stage_counts_moved(status_rows: dict[tuple[Any, ...], dict[str, int]]) -> bool:
    """Whether the orders (not cancelled) of some state × service × stage changed: a hold
    moves one from "in progress" to "on hold" at the same stage, and changes none."""
    net: Counter[tuple[Any, ...]] = Counter()
    for (state, service, stage, status), counts in status_rows.items():
        if status != Status.CANCELLED:
            net[(state, service, stage)] += counts["orders"]
    return any(net.values())


def _sortable(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(str(part) for part in key)


def _upsert(table: FigureTable, rows: list[tuple[tuple[Any, ...], dict[str, int]]]) -> None:
    """One INSERT … ON CONFLICT for all rows of a table; PostgreSQL and SQLite speak it alike.
    Django's bulk_create(update_conflicts=True) would overwrite the count, not add to it."""
    meta = table.model._meta
    quote = connection.ops.quote_name
    name = quote(meta.db_table)
    key_columns = [quote(_column(table, f)) for f in table.keys]
    count_columns = [quote(_column(table, f)) for f in table.counts]
    placeholders = "(" + ", ".join(["%s"] * (len(key_columns) + len(count_columns))) + ")"
    increments = ", ".join(f"{c} = {name}.{c} + excluded.{c}" for c in count_columns)
    sql = (
        f"INSERT INTO {name} ({', '.join(key_columns + count_columns)}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {increments}"
    )
    params: list[Any] = []
    for key, counts in rows:
        params.extend(key)
        params.extend(counts[c] for c in table.counts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def figures_add(rollin: Rollin) -> None:
    """Count a roll-in written outside the transition function (test factories)."""
    figures_track(Counter(), contribution(rollin))


# --- both sides in one shape ----------------------------------------------------------------

# table name → {key values: {count column: n}}, zero counts left out.
Figures = dict[str, dict[tuple[Any, ...], dict[str, int]]]


def figures_recomputed(state_ids: Iterable[int]) -> Figures:
    """The figures counted from the base tables (rollins, their orders), per state."""
    rollins = Rollin.objects.filter(order__authority__state_id__in=list(state_ids)).order_by()
    state = "order__authority__state_id"
    result: Figures = {table.model.__name__: {} for table in TABLES}

    def put(table: FigureTable, key: tuple[Any, ...], column: str, n: int) -> None:
        if n:
            result[table.model.__name__].setdefault(key, dict.fromkeys(table.counts, 0))[
                column
            ] += n

    for row in rollins.values(state, "order__service_id", "stage_id", "status").annotate(
        n=Count("id")
    ):
        key = (row[state], row["order__service_id"], row["stage_id"], row["status"])
        put(STATUS, key, "orders", row["n"])
    placed = rollins.annotate(week=TruncWeek("order__created_at")).values(state, "week")
    for row in placed.annotate(n=Count("id")):
        put(WEEK, (row[state], _day(row["week"])), "placed", row["n"])
    live = rollins.filter(live_at__isnull=False).annotate(week=TruncWeek("live_at"))
    for row in live.values(state, "week").annotate(n=Count("id")):
        put(WEEK, (row[state], _day(row["week"])), "live", row["n"])
    due = rollins.filter(due_at__isnull=False).exclude(status__in=CLOSED)
    for row in due.annotate(day=TruncDate("due_at")).values(state, "day").annotate(n=Count("id")):
        put(DUE, (row[state], _day(row["day"])), "open", row["n"])
    is_live = Q(status=Status.LIVE)
    by_level = rollins.filter(SERVES_BY_LEVEL)
    covered = by_level.filter(order__cancelled_at__isnull=True).values(
        state, "order__authority__district_id", "order__service_id"
    )
    for row in covered.annotate(
        ordered=Count("id"),
        live=Count("id", filter=is_live),
        population_live=Sum("order__authority__population", filter=is_live),
    ):
        area = (row[state], row["order__authority__district_id"], row["order__service_id"])
        for column in COVERAGE.counts:
            put(COVERAGE, area, column, row[column] or 0)
            put(STATE_COVERAGE, (area[0], area[2]), column, row[column] or 0)
    _recompute_live_days(by_level.filter(live_at__isnull=False), put)
    assigned = ExpressionWrapper(Q(assignee__isnull=False), output_field=models.BooleanField())
    waiting = rollins.exclude(waiting_on="").annotate(assigned=assigned)
    for row in waiting.values(state, "waiting_on", "assigned").annotate(n=Count("id")):
        put(WAITING, (row[state], row["waiting_on"], row["assigned"]), "orders", row["n"])
    for rows in result.values():  # a day whose went-live and cancellations cancel out
        for key in [k for k, counts in rows.items() if not any(counts.values())]:
            del rows[key]
    return result


def _recompute_live_days(
    went_live: models.QuerySet[Rollin],
    put: Callable[[FigureTable, tuple[Any, ...], str, int], None],
) -> None:
    state = "order__authority__state_id"
    population = Sum("order__authority__population")
    for moment, sign in (("live_at", 1), ("order__cancelled_at", -1)):
        rows = went_live.filter(**{f"{moment}__isnull": False}).annotate(day=TruncDate(moment))
        for row in rows.values(state, "order__service_id", "day").annotate(
            n=Count("id"), population=population
        ):
            key = (row[state], row["order__service_id"], _day(row["day"]))
            put(LIVE_DAY, key, "live", sign * row["n"])
            put(LIVE_DAY, key, "population_live", sign * (row["population"] or 0))
            put(LIVE_TOTAL, key[:2], "live", sign * row["n"])


def figures_maintained(state_ids: Iterable[int]) -> Figures:
    """The maintained rows of the states in the shape of figures_recomputed."""
    result: Figures = {}
    for table in TABLES:
        found: dict[tuple[Any, ...], dict[str, int]] = {}
        columns = _attnames(table)
        for row in table.model._default_manager.filter(state_id__in=list(state_ids)).values(
            *columns, *table.counts
        ):
            counts = {c: row[c] for c in table.counts}
            if any(counts.values()):
                found[tuple(row[c] for c in columns)] = counts
        result[table.model.__name__] = found
    return result


def _attnames(table: FigureTable) -> list[str]:
    """The key fields as columns of values() and constructor arguments (state → state_id)."""
    return [_field(table, f).attname for f in table.keys]


def _column(table: FigureTable, name: str) -> str:
    column = _field(table, name).column
    assert column is not None  # every figure field is a concrete column
    return column


def _field(table: FigureTable, name: str) -> models.Field[Any, Any]:
    field = table.model._meta.get_field(name)
    assert isinstance(field, models.Field)  # concrete columns, never reverse relations
    return field


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- rebuild --------------------------------------------------------------------------------


def figures_rebuild(
    state_ids: Iterable[int] | None = None, *, progress: Callable[[State], None] | None = None
) -> int:
    """Recompute the figure rows of the states (all when None) from the base tables; one
    transaction per state. Idempotent: a second run writes the same rows. Returns the number
    of rows written."""
    states = State.objects.order_by("ags")
    if state_ids is not None:
        states = states.filter(pk__in=list(state_ids))
    written = 0
    for state in states:
        written += _rebuild_state(state.pk)
        if progress is not None:
            progress(state)
    return written


def figures_rebuild_stage(stage_id: int) -> int:
    """Rebuild the figures of the states with roll-ins at a stage whose items an operator
    edited: a changed actor or order of its items changes whose turn those roll-ins are."""
    at_stage = Rollin.objects.filter(stage_id=stage_id).order_by()
    return figures_rebuild(at_stage.values_list("order__authority__state_id", flat=True).distinct())


def figures_rebuild_territory(state_keys: list[str]) -> int:
    """Rebuild the figures of the states a Gebietsstand import named (by AGS)."""
    return figures_rebuild(State.objects.filter(ags__in=state_keys).values_list("pk", flat=True))


def _copies_refresh(state_id: int) -> None:
    """The roll-ins' copies of their order's state and service, of their stage's position and
    of their assignee's last name, set right where they differ (the order list filters and
    sorts by them; rows written by hand or by an old COPY may not)."""
    of_state = Rollin.objects.filter(order__authority__state_id=state_id)
    of_state.exclude(state_id=state_id).update(state_id=state_id)
    order_service = Order.objects.filter(pk=OuterRef("order_id")).values("service_id")[:1]
    of_state.exclude(service_id=F("order__service_id")).update(service_id=Subquery(order_service))
    position = StageDefinition.objects.filter(pk=OuterRef("stage_id")).values("position")[:1]
    of_state.exclude(stage_position=F("stage__position")).update(stage_position=Subquery(position))
    unassigned = of_state.filter(assignee__isnull=True, assignee_last_name__isnull=False)
    unassigned.update(assignee_last_name=None)
    name = User.objects.filter(pk=OuterRef("assignee_id")).values("last_name")[:1]
    of_state.filter(assignee__isnull=False).filter(
        Q(assignee_last_name__isnull=True) | ~Q(assignee_last_name=F("assignee__last_name"))
    ).update(assignee_last_name=Subquery(name))


@transaction.atomic
def _rebuild_state(state_id: int) -> int:
    if connection.vendor == "postgresql":
        # Writers of roll-ins wait until the rebuilt rows are committed, and the rebuild waits
        # for the transitions in flight: no change is counted twice or lost. (SQLite
        # serialises writers anyway.)
        with connection.cursor() as cursor:
            table_name = connection.ops.quote_name(Rollin._meta.db_table)
            cursor.execute(f"LOCK TABLE {table_name} IN SHARE MODE")
    # Whose turn each roll-in is, from its items: rows written by COPY or left behind by a
    # template edit are set right before they are counted.
    waiting_on_refresh(Rollin.objects.filter(order__authority__state_id=state_id))
    _copies_refresh(state_id)
    recomputed = figures_recomputed([state_id])
    written = 0
    for table in TABLES:
        manager = table.model._default_manager
        manager.filter(state_id=state_id).delete()
        rows = []
        for key, counts in recomputed[table.model.__name__].items():
            fields = dict(zip(_attnames(table), key, strict=True))
            rows.append(table.model(**fields, **counts))
        manager.bulk_create(rows, batch_size=1000)
        written += len(rows)
    # A rebuild follows changes that bypass the transitions (a Gebietsstand, rows by COPY).
    figure_versions.figures_changed([state_id])
    reference_changed()
    return written
