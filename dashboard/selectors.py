"""Reads of the coordination pages; every figure is aggregated in the database.

Each function runs a fixed number of queries whatever the number of orders, so the pages
stay as fast for 50,000 orders as for 50.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Count, Min, Model, Q, QuerySet, Sum
from django.utils import timezone

from accounts.session_user import state_ids_of
from catalog.models import Service
from dashboard.models import BulkJob
from dashboard.status_counts import status_counts, status_counts_by_state, status_totals_by_state
from orders.models import Order
from orders.selectors import order_visible_to
from rollin import transitions
from rollin.models import (
    ConnectorLog,
    DueFigure,
    ItemDefinition,
    Rollin,
    RollinItem,
    StageDefinition,
    StatusFigure,
    WaitingFigure,
    WeekFigure,
)
from rollin.turn import Turn, turn_from_loaded
from rollin.waiting import next_items_for

if TYPE_CHECKING:
    from accounts.models import User

Status = Rollin.Status
CLOSED_STATUSES = (Status.LIVE, Status.CANCELLED)
OPEN_STATUSES = [s for s in Status.values if s not in CLOSED_STATUSES]
WEEKS = 26
FigureModel = TypeVar("FigureModel", bound=Model)


def _open_manual_items(actor: str) -> QuerySet[RollinItem]:
    """Manual items `actor` can act on now: the next in line (rollin.waiting; the
    countersignature does not wait for the coordination while the authority has not uploaded
    the contract) of a roll-in waiting on `actor`."""
    return next_items_for(actor).filter(rollin__waiting_on=actor)


def waiting_for(actor: str) -> Q:
    """Orders whose roll-in waits on `actor` (a column the transitions keep)."""
    return Q(rollin__waiting_on=actor)


def overdue_q(now: datetime.datetime) -> Q:
    return Q(rollin__due_at__lt=now) & ~Q(rollin__status__in=CLOSED_STATUSES)


def dashboard_orders_for(user: User) -> QuerySet[Order]:
    """The orders of the coordinator's states with what every list row shows.

    A coordinator's are those of order_visible_to, named through the roll-in's copy of the
    state as the list's filters are (every placed order has its roll-in): PostgreSQL then
    reads a state's list sorted by due date from the head of one index (rollin_list_by_due)
    instead of joining every order of the service first."""
    return order_visible_to(user, state_via_rollin=True).select_related(
        "authority",
        "authority__district",
        "service",
        "rollin",
        "rollin__stage",
        "rollin__assignee",
    )


def stages_for_filters() -> list[StageDefinition]:
    """The default template's stages: their codes are the stage vocabulary of the filters."""
    return list(StageDefinition.objects.filter(template__service__isnull=True).order_by("position"))


@dataclass
class WeekRow:
    start: datetime.date
    placed: int = 0
    live: int = 0


@dataclass
class Overview:
    stages: list[StageDefinition]
    rows: list[tuple[Service, list[int], int]]  # service, count per stage column, row total
    column_totals: list[int]
    totals: dict[str, int]


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def overview_for(
    state_ids: list[int],
    *,
    services: Iterable[Service],
    overdue: int,
    state_versions: Mapping[int, str] | None = None,
) -> Overview:
    """Matrix services × stages and the totals of the states (the weekly series is
    weekly_series, the overdue count overdue_until: the overview caches each on its own,
    dashboard.overview_cache).

    Read from the figures the transitions maintain (rollin.figures): a few hundred rows
    whatever the number of orders. With the states' status versions (rollin.figure_versions)
    only the states whose figures moved are read (dashboard.status_counts)."""
    stages = stages_for_filters()
    if state_versions is not None:
        by_service, by_status = status_counts_by_state(state_ids, stages, state_versions)
    else:
        by_service, by_status = status_counts(state_ids, stages)
    by_service = {pk: counts for pk, counts in by_service.items() if any(counts)}
    shown = sorted((s for s in services if s.pk in by_service), key=lambda s: (s.position, s.name))
    rows = [(service, by_service[service.pk], sum(by_service[service.pk])) for service in shown]
    column_totals = [sum(row[1][i] for row in rows) for i in range(len(stages))]
    totals = _totals(by_status, overdue)
    return Overview(stages=stages, rows=rows, column_totals=column_totals, totals=totals)


def overview_totals(
    state_ids: list[int], *, overdue: int, state_versions: Mapping[int, str]
) -> dict[str, int]:
    """The overview's totals alone, from each state's sums per status (kept per status
    version): a hold changes these, not the matrix (dashboard.overview_cache)."""
    return _totals(status_totals_by_state(state_ids, state_versions), overdue)


def _totals(by_status: Mapping[str, int], overdue: int) -> dict[str, int]:
    return {
        "ordered": sum(by_status.values()) - by_status[Status.CANCELLED],
        "in_progress": by_status[Status.IN_PROGRESS] + by_status[Status.WAITING],
        "live": by_status[Status.LIVE],
        "on_hold": by_status[Status.ON_HOLD],
        "failing": by_status[Status.FAILING],
        "overdue": overdue,
        "cancelled": by_status[Status.CANCELLED],
    }


def attention_counts(user: User, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """What needs the coordination, for its start page, from maintained figures: failing and
    on hold from the status figures, overdue from the due figures (as the overview), the
    orders waiting for the coordination from the waiting figures. The user's queue
    (my_queue_for: theirs or nobody's) is the unassigned figure plus the few the user took
    on. Counted over the orders and their open items, these took 6 s at 500,000 orders."""
    now = now or timezone.now()
    states = _state_scope(user)
    held_or_failing = (
        _scoped(StatusFigure.objects.filter(status__in=[Status.FAILING, Status.ON_HOLD]), states)
        .values("status")
        .annotate(n=Sum("orders"))
        .order_by()
    )
    by_status = {row["status"]: row["n"] or 0 for row in held_or_failing}
    waiting, queue = coordination_waiting(user)
    return {
        "waiting": waiting,
        "queue": queue,
        "overdue": overdue_until(states, now)[0],
        "failing": by_status.get(Status.FAILING, 0),
        "on_hold": by_status.get(Status.ON_HOLD, 0),
    }


def coordination_waiting(user: User) -> tuple[int, int]:
    """The orders of the user's states waiting for the coordination, and the user's queue of
    them (my_queue_for: theirs or nobody's): the unassigned figure plus the few they took on."""
    states = _state_scope(user)
    coordinator = ItemDefinition.Actor.COORDINATOR
    waiting = _scoped(WaitingFigure.objects.filter(waiting_on=coordinator), states).aggregate(
        all=Sum("orders"), unassigned=Sum("orders", filter=Q(assigned=False))
    )
    taken_on = my_queue_for(user).filter(assignee=user).order_by().count()
    return waiting["all"] or 0, (waiting["unassigned"] or 0) + taken_on


# None: every state (operators).
StateScope = list[int] | None


def _state_scope(user: User) -> StateScope:
    """The states whose figures the user sees; the overview is the coordinators' (and the
    operators') page, so this is order_visible_to's rule for them."""
    if user.is_operator:
        return None
    if user.is_coordinator and user.is_active:
        return state_ids_of(user)  # kept per version of the signed-in user
    return []


def _scoped(figures: QuerySet[FigureModel], states: StateScope) -> QuerySet[FigureModel]:
    return figures if states is None else figures.filter(state_id__in=states)


def overdue_until(states: StateScope, now: datetime.datetime) -> tuple[int, datetime.datetime]:
    """Open roll-ins due before now, and until when that count holds while no roll-in
    changes: the next moment today at which an open roll-in falls due, else midnight."""
    by_state = overdue_by_state(states, now)
    count = sum(overdue for overdue, _ in by_state.values())
    return count, min((until for _, until in by_state.values()), default=_today(now)[1])


def overdue_by_state(
    states: StateScope, now: datetime.datetime
) -> dict[int, tuple[int, datetime.datetime]]:
    """The same per state (every state asked for, and every state with roll-ins if None).

    The maintained per-day rows before today, and today's roll-ins from the base table (those
    due later today are not overdue yet): two queries, grouped by state, so that the overview
    reads again only the state whose due days changed (dashboard.overview_cache)."""
    today = timezone.localdate(now)
    start_of_today, midnight = _today(now)
    overdue = dict.fromkeys(states or [], 0)
    until = dict.fromkeys(states or [], midnight)
    before_today = _scoped(DueFigure.objects.filter(due_on__lt=today), states)
    for state_id, n in before_today.values_list("state_id").annotate(n=Sum("open")).order_by():
        overdue[state_id] = overdue.get(state_id, 0) + (n or 0)
    # status IN (…) AND due_at range: the (status, due_at, state) index finds exactly these.
    due_today = Rollin.objects.filter(
        status__in=OPEN_STATUSES, due_at__gte=start_of_today, due_at__lt=midnight
    )
    if states is not None:
        # The roll-in's copy of its state: no join to the orders and authorities.
        due_today = due_today.filter(state_id__in=states)
    # Counted by due_at (set on every row of the range), not the id: the index holds all
    # this reads (rollin_open_due).
    today_counts = (
        due_today.values_list("state_id")
        .annotate(
            overdue=Count("due_at", filter=Q(due_at__lt=now)),
            next=Min("due_at", filter=Q(due_at__gte=now)),
        )
        .order_by()
    )
    for state_id, overdue_today, next_due in today_counts:
        overdue[state_id] = overdue.get(state_id, 0) + overdue_today
        until[state_id] = next_due or midnight
    return {state_id: (n, until.get(state_id, midnight)) for state_id, n in overdue.items()}


def _today(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of today and of tomorrow, local time."""
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start_of_today, start_of_today + datetime.timedelta(days=1)


def weekly_series(states: StateScope, *, now: datetime.datetime) -> list[WeekRow]:
    """Orders placed and gone live per calendar week over the last WEEKS weeks (1 query)."""
    today = timezone.localdate(now)
    first = _week_start(today) - datetime.timedelta(weeks=WEEKS - 1)
    weeks = {
        first + datetime.timedelta(weeks=i): WeekRow(start=first + datetime.timedelta(weeks=i))
        for i in range(WEEKS)
    }
    figures = _scoped(WeekFigure.objects.filter(week__gte=first), states)
    for row in figures.values("week").annotate(placed=Sum("placed"), live=Sum("live")):
        if row["week"] in weeks:
            weeks[row["week"]].placed += row["placed"]
            weeks[row["week"]].live += row["live"]
    return list(weeks.values())


def my_queue_for(user: User) -> QuerySet[Rollin]:
    """Roll-ins waiting for the coordination, assigned to the user or to nobody, the one
    longest at its stage first: the partial index rollin_coordination_queue holds them in
    this order, so a page of them stops after a page (tasks_of loads their items)."""
    return (
        Rollin.objects.filter(
            waiting_on=ItemDefinition.Actor.COORDINATOR, order__in=order_visible_to(user)
        )
        .filter(Q(assignee=user) | Q(assignee__isnull=True))
        .select_related("stage", "assignee", "order__authority", "order__service")
        .order_by("stage_entered_at", "id")
    )


def tasks_of(rollins: Iterable[Rollin]) -> list[RollinItem]:
    """The item each of the roll-ins waits for the coordination to do, in their order, with
    the loaded roll-in attached (one query)."""
    by_id = {rollin.pk: rollin for rollin in rollins}
    items = {
        item.rollin_id: item
        for item in _open_manual_items(ItemDefinition.Actor.COORDINATOR)
        .filter(rollin_id__in=by_id)
        .select_related("definition", "stage")
    }
    tasks = []
    for rollin_id, rollin in by_id.items():
        if rollin_id in items:
            items[rollin_id].rollin = rollin
            tasks.append(items[rollin_id])
    return tasks


def task_turn(item: RollinItem, user: User) -> Turn:
    """The turn of a task of tasks_of, without a query: the task is by its selection the
    next item in line of an active roll-in the user coordinates."""
    return turn_from_loaded(item.rollin, user, items=[item], history=[], coordinates=True)


def coordinator_items_of(rollin: Rollin) -> list[RollinItem]:
    """Items of the current stage that wait for the coordination."""
    return list(
        _open_manual_items(ItemDefinition.Actor.COORDINATOR)
        .filter(rollin=rollin)
        .select_related("definition")
        .order_by("definition__position", "id")
    )


def rejectable_items_of(rollin: Rollin) -> list[RollinItem]:
    """Done staff items of the current stage the coordination may send back (e.g. a contract);
    the rule is the guard's (rollin.transitions.is_rejectable), applied to the stage's items."""
    return [
        item
        for item in RollinItem.objects.filter(rollin=rollin, stage_id=rollin.stage_id)
        .select_related("definition")
        .order_by("definition__position", "id")
        if transitions.is_rejectable(item, rollin)
    ]


def connector_log_of(rollin: Rollin, *, limit: int = 200) -> list[ConnectorLog]:
    return list(
        ConnectorLog.objects.filter(item__rollin=rollin)
        .select_related("item__definition")
        .order_by("-created_at", "-id")[:limit]
    )


def bulk_job_for(user: User, job_id: int) -> BulkJob | None:
    """A bulk job is seen by whoever started it (and operators)."""
    jobs = BulkJob.objects.all() if user.is_operator else BulkJob.objects.filter(created_by=user)
    return jobs.filter(pk=job_id).first()
