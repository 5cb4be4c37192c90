"""Reads of the coordination pages; every figure is aggregated in the database.

Each function runs a fixed number of queries whatever the number of orders, so the pages
stay as fast for 50,000 orders as for 50.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from catalog.models import Service
from dashboard.models import BulkJob
from orders.models import Order
from orders.selectors import order_visible_to
from rollin import transitions
from rollin.models import ConnectorLog, ItemDefinition, Rollin, RollinItem, StageDefinition
from rollin.selectors import rollin_data_version
from rollin.turn import Turn, turn_from_loaded

if TYPE_CHECKING:
    from accounts.models import User

Status = Rollin.Status
OPEN_ITEM_STATUSES = (RollinItem.Status.OPEN, RollinItem.Status.REJECTED)
CLOSED_STATUSES = (Status.LIVE, Status.CANCELLED)
ACTIVE_STATUSES = (Status.IN_PROGRESS, Status.WAITING)
WEEKS = 26
# Seconds an overview may be served from the cache; 0 (the tests) computes every request.


def _open_manual_items(actor: str) -> QuerySet[RollinItem]:
    """Manual items `actor` can act on now: open, of the current stage of an active roll-in,
    and next in line (items of a stage are done in order, so the countersignature does not
    wait for the coordination while the authority has not uploaded the contract)."""
    earlier_open = RollinItem.objects.filter(
        rollin_id=OuterRef("rollin_id"),
        stage_id=OuterRef("stage_id"),
        definition__position__lt=OuterRef("definition__position"),
    ).exclude(status=RollinItem.Status.DONE)
    return RollinItem.objects.filter(
        status__in=OPEN_ITEM_STATUSES,
        definition__kind=ItemDefinition.Kind.MANUAL,
        definition__actor=actor,
        stage_id=F("rollin__stage_id"),
        rollin__status__in=ACTIVE_STATUSES,
    ).filter(~Exists(earlier_open))


def waiting_for(actor: str) -> Exists:
    return Exists(_open_manual_items(actor).filter(rollin__order_id=OuterRef("pk")))


def overdue_q(now: datetime.datetime) -> Q:
    return Q(rollin__due_at__lt=now) & ~Q(rollin__status__in=CLOSED_STATUSES)


def dashboard_orders_for(user: User) -> QuerySet[Order]:
    """The orders of the coordinator's states with what every list row shows."""
    return order_visible_to(user).select_related(
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
    weeks: list[WeekRow] = field(default_factory=list)


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def overview_for(
    user: User, *, now: datetime.datetime | None = None, key: str | None = None
) -> Overview:
    """The overview of the user's states: from the cache while no roll-in and no order changed.

    At national scale the figures aggregate half a million orders (seconds of database time);
    coordinators reload the page far more often than orders change. The key (see
    overview_cache_key) holds the newest roll-in change and the newest order, the user's
    states and today's date. The short expiry bounds what the version cannot see: a
    transaction that commits after a newer one (its timestamp is older) and time-based
    figures (overdue). `key`: the caller's overview_cache_key, if it has one already."""
    seconds = settings.ROLLIN_FIGURES_CACHE_SECONDS
    if now is not None or seconds <= 0:
        return _overview_uncached(user, now=now)
    key = key or overview_cache_key(user)
    overview: Overview | None = cache.get(key)
    if overview is None:
        overview = _overview_uncached(user)
        cache.set(key, overview, seconds)
    return overview


def overview_cache_key(user: User) -> str:
    """The version of the user's overview: the roll-in data version (one query), the user's
    states and today's date (overdue figures)."""
    if settings.ROLLIN_FIGURES_CACHE_SECONDS <= 0:
        return ""
    scope = "all" if user.is_operator else ",".join(map(str, sorted(_state_ids(user))))
    raw = f"{scope}|{rollin_data_version()}|{timezone.localdate()}"
    return "dashboard:overview:" + hashlib.sha256(raw.encode()).hexdigest()


def _state_ids(user: User) -> list[int]:
    return list(user.states.values_list("id", flat=True))


def _overview_uncached(user: User, *, now: datetime.datetime | None = None) -> Overview:
    """Matrix services × stages, totals and the weekly series, in six queries."""
    now = now or timezone.now()
    orders = order_visible_to(user)
    stages = stages_for_filters()
    position_index = {stage.position: i for i, stage in enumerate(stages)}
    cells = (
        orders.exclude(rollin__status=Status.CANCELLED)
        .filter(rollin__isnull=False)
        .values("service_id", "rollin__stage__position")
        .annotate(n=Count("id"))
    )
    by_service: dict[int, list[int]] = {}
    for cell in cells:
        column = position_index.get(cell["rollin__stage__position"])
        if column is None:
            continue  # a service-specific template's extra stage: not in the default columns
        by_service.setdefault(cell["service_id"], [0] * len(stages))[column] += cell["n"]
    services = Service.objects.filter(pk__in=by_service).order_by("position", "name")
    rows = [(service, by_service[service.pk], sum(by_service[service.pk])) for service in services]
    column_totals = [sum(row[1][i] for row in rows) for i in range(len(stages))]
    totals = orders.aggregate(
        ordered=Count("id", filter=~Q(rollin__status=Status.CANCELLED)),
        in_progress=Count("id", filter=Q(rollin__status__in=[Status.IN_PROGRESS, Status.WAITING])),
        live=Count("id", filter=Q(rollin__status=Status.LIVE)),
        on_hold=Count("id", filter=Q(rollin__status=Status.ON_HOLD)),
        failing=Count("id", filter=Q(rollin__status=Status.FAILING)),
        overdue=Count("id", filter=overdue_q(now)),
        cancelled=Count("id", filter=Q(rollin__status=Status.CANCELLED)),
    )
    return Overview(
        stages=stages,
        rows=rows,
        column_totals=column_totals,
        totals=totals,
        weeks=weekly_series(orders, now=now),
    )


def weekly_series(orders: QuerySet[Order], *, now: datetime.datetime) -> list[WeekRow]:
    """Orders placed and gone live per calendar week over the last WEEKS weeks (2 queries)."""
    today = timezone.localdate(now)
    first = _week_start(today) - datetime.timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    weeks = {
        first + datetime.timedelta(weeks=i): WeekRow(start=first + datetime.timedelta(weeks=i))
        for i in range(WEEKS)
    }
    placed = (
        orders.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"))
    )
    live = (
        orders.filter(rollin__live_at__gte=since)
        .annotate(week=TruncWeek("rollin__live_at"))
        .values("week")
        .annotate(n=Count("id"))
    )
    for series, attribute in ((placed, "placed"), (live, "live")):
        for row in series:
            week = row["week"]
            day = week.date() if isinstance(week, datetime.datetime) else week
            if day in weeks:
                setattr(weeks[day], attribute, getattr(weeks[day], attribute) + row["n"])
    return list(weeks.values())


def my_tasks_for(user: User) -> QuerySet[RollinItem]:
    """Open coordinator items of orders assigned to the user or to nobody, oldest first."""
    return (
        _open_manual_items(ItemDefinition.Actor.COORDINATOR)
        .filter(rollin__order__in=order_visible_to(user))
        .filter(Q(rollin__assignee=user) | Q(rollin__assignee__isnull=True))
        .select_related(
            "definition",
            "stage",
            "rollin__stage",
            "rollin__assignee",
            "rollin__order__authority",
            "rollin__order__service",
        )
        .order_by("created_at", "id")
    )


def task_turn(item: RollinItem, user: User) -> Turn:
    """The turn of a task of my_tasks_for, without a query: the task is by its selection the
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
