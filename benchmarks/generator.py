"""Synthetic national order data with a realistic spread and a consistent roll-in state.

Every generated order gets a Rollin at some stage, RollinItems for its current stage and a
gap-free history: one "placed", one "advanced" per stage passed, and one entry for the side
state it is in (held, failing, cancelled). The last history entry's `to_status` is always the
roll-in's status, so reports that read the history and reports that read the roll-in agree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import json
import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Role, User
from benchmarks.bulk import next_id, sync_id_sequence, write_rows
from catalog.models import Service, ServiceOffering
from geo.models import Authority, Level, State
from orders.models import Order, OrderNumberSequence
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem, StageTemplate

BENCH_EMAIL_DOMAIN = "bench.digitalmarkt.invalid"
BENCH_SERVICE_PREFIX = "bench-leistung-"
# Share of (authority, service) pairs that may hold an active order; the rest of the requested
# orders become cancelled earlier orders of the same pair (re-orders), as happens in reality.
MAX_FILL = 0.92
CANCELLED_SHARE = 0.03
LIVE_SHARE = 0.22
# More roll-ins sit in early stages than late ones (weights by stage index before live).
EARLY_STAGE_BIAS = 0.82
SIDE_STATUS_WEIGHTS = {
    Rollin.Status.IN_PROGRESS: 60,
    Rollin.Status.WAITING: 25,
    Rollin.Status.FAILING: 6,
    Rollin.Status.ON_HOLD: 9,
}

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class StageInfo:
    id: int
    position: int
    is_live: bool
    due_working_days: int
    items: tuple[tuple[int, str, str], ...]  # (definition id, kind, actor)


@dataclass
class TemplateInfo:
    id: int
    stages: list[StageInfo]

    @property
    def live_index(self) -> int:
        for index, stage in enumerate(self.stages):
            if stage.is_live:
                return index
        return len(self.stages) - 1


@dataclass
class GenerationResult:
    services: int = 0
    orders: int = 0
    cancelled: int = 0
    rollins_by_status: dict[str, int] = field(default_factory=dict)
    items: int = 0
    history: int = 0
    capacity: int = 0


def last_generation_path() -> Path:
    database = Path(str(connection.settings_dict["NAME"])).stem
    return Path(settings.VAR_DIR) / "bench" / f"generator-{database}.json"


def load_template(template: StageTemplate) -> TemplateInfo:
    items: dict[int, list[tuple[int, str, str]]] = {}
    for item in ItemDefinition.objects.filter(stage__template=template).order_by(
        "stage_id", "position", "id"
    ):
        items.setdefault(item.stage_id, []).append((item.id, item.kind, item.actor))
    stages = [
        StageInfo(s.id, s.position, s.is_live, s.due_working_days, tuple(items.get(s.id, ())))
        for s in template.stages.order_by("position")
    ]
    if not stages:
        raise ValueError(f"Stufenvorlage {template} hat keine Stufen.")
    return TemplateInfo(template.id, stages)


def default_template() -> StageTemplate | None:
    return StageTemplate.objects.filter(service__isnull=True).order_by("id").first()


def ensure_services(count: int) -> list[Service]:
    """The catalog's real services first, then generated ones of both levels up to `count`."""
    existing = list(Service.objects.exclude(slug__startswith=BENCH_SERVICE_PREFIX))
    services = existing[:count]
    missing = count - len(services)
    generated = list(Service.objects.filter(slug__startswith=BENCH_SERVICE_PREFIX).order_by("slug"))
    to_create = []
    for number in range(len(generated) + 1, missing + 1):
        # One in six generated services is district-level: most OZG services are municipal.
        level = Level.DISTRICT if number % 6 == 0 else Level.MUNICIPAL
        to_create.append(
            Service(
                slug=f"{BENCH_SERVICE_PREFIX}{number:03d}",
                name=f"Testleistung {number:03d}",
                short_description="Synthetische Leistung für Lasttests.",
                description="Von generate_national erzeugt; nicht für den Betrieb.",
                level=level,
                responsible_authority="Testbehörde",
                status=Service.Status.AVAILABLE,
                position=200 + number,
            )
        )
    Service.objects.bulk_create(to_create)
    generated = list(Service.objects.filter(slug__startswith=BENCH_SERVICE_PREFIX).order_by("slug"))
    return services + generated[:missing]


def open_states(services: list[Service]) -> int:
    """The national data runs in every state: open them all, each offering every service.

    Written directly (not through catalog.opening): a benchmark database has no operator, and
    its orders are written with COPY, not placed. Returns the number of states opened now.
    """
    now = dt.datetime.now(dt.UTC)
    opened = State.objects.filter(opened_at__isnull=True).update(
        opened_at=now, responsibility_confirmed_at=now, general_contractor="Benchmark"
    )
    existing = set(ServiceOffering.objects.values_list("state_id", "service_id"))
    ServiceOffering.objects.bulk_create(
        ServiceOffering(state_id=state_id, service_id=service.pk)
        for state_id in State.objects.values_list("pk", flat=True)
        for service in services
        if (state_id, service.pk) not in existing
    )
    return opened


def ensure_staff_users(authorities: list[Authority]) -> dict[int, int]:
    """One approved staff user per authority (unusable password): the orders' placed_by."""
    emails = {a.id: f"staff-{a.code.lower()}@{BENCH_EMAIL_DOMAIN}" for a in authorities}
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(email=email, role=Role.STAFF, authority_id=authority_id, password=unusable)
            for authority_id, email in emails.items()
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    by_email = dict(
        User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}", role=Role.STAFF).values_list(
            "email", "id"
        )
    )
    return {authority_id: by_email[email] for authority_id, email in emails.items()}


def ensure_bench_user(role: str, states: list[State] | None = None) -> User:
    user, _created = User.objects.get_or_create(
        email=f"{role}@{BENCH_EMAIL_DOMAIN}",
        defaults={"role": role, "password": make_password(None), "first_name": "Bench"},
    )
    if states is not None:
        user.states.set(states)
    return user


def plan_pairs(
    services: list[Service], authorities: list[Authority], orders: int, rng: random.Random
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    """Pick (authority, service) pairs for active orders and for cancelled re-orders.

    Weighted sampling without replacement (Efraimidis–Spirakis): larger authorities and the
    services earlier in the catalog are ordered more often.
    """
    by_level: dict[str, list[Authority]] = {Level.MUNICIPAL: [], Level.DISTRICT: []}
    for authority in authorities:
        if authority.is_municipal_level:
            by_level[Level.MUNICIPAL].append(authority)
        if authority.is_district_level:
            by_level[Level.DISTRICT].append(authority)
    capacity = sum(len(by_level[s.level]) for s in services)
    active = min(orders, int(capacity * MAX_FILL))

    def keyed() -> Iterator[tuple[float, int, int]]:
        for rank, service in enumerate(services):
            popularity = 1.0 / math.sqrt(rank + 1)
            for authority in by_level[service.level]:
                weight = popularity * (1.0 + math.log10(authority.population + 10))
                yield (rng.random() ** (1.0 / weight), authority.id, service.id)

    chosen = [(a, s) for _key, a, s in heapq.nlargest(active, keyed())]
    reorders = [rng.choice(chosen) for _ in range(orders - active)] if chosen else []
    return chosen, reorders, capacity


@dataclass
class OrderPlan:
    authority_id: int
    service_id: int
    cancelled: bool
    state_id: int = 0  # the authority's; the roll-in keeps a copy


class RowBuilder:
    """Turns one order plan into the rows of all four tables, with consistent timestamps."""

    def __init__(
        self,
        *,
        now: dt.datetime,
        rng: random.Random,
        templates: dict[int, TemplateInfo],
        staff_by_authority: dict[int, int],
        coordinator_id: int,
    ) -> None:
        self.now = now
        self.rng = rng
        self.templates = templates
        self.staff_by_authority = staff_by_authority
        self.coordinator_id = coordinator_id
        self.numbers: dict[int, int] = {}
        self.orders: list[tuple[object, ...]] = []
        self.rollins: list[tuple[object, ...]] = []
        self.items: list[tuple[object, ...]] = []
        self.history: list[tuple[object, ...]] = []
        self.status_counts: dict[str, int] = {}

    def reset_batch(self) -> None:
        self.orders, self.rollins, self.items, self.history = [], [], [], []

    def _number(self, created: dt.datetime) -> str:
        year = created.year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"DM-{year}-{self.numbers[year]:06d}"

    def _stage_index(self, template: TemplateInfo, cancelled: bool) -> int:
        if cancelled:  # cancellations happen before the contract, mostly
            return 0 if self.rng.random() < 0.7 else min(1, template.live_index)
        if self.rng.random() < LIVE_SHARE:
            return template.live_index
        stages = range(template.live_index)
        return self.rng.choices(stages, weights=[EARLY_STAGE_BIAS**i for i in stages])[0]

    def _timeline(self, stages: int, live: bool) -> list[dt.datetime]:
        """Times of placed and of each advance (stages entries), increasing, all in the past."""
        days = dt.timedelta(days=1)
        if live:
            end = self.now - self.rng.uniform(0, 365) * days
            times = [end]
            for _ in range(stages - 1):
                times.append(times[-1] - self.rng.uniform(3, 30) * days)
            return sorted(times)
        created = self.now - self.rng.uniform(2 + 12 * stages, 60 + 40 * stages) * days
        span = (self.now - created) * 0.9
        cuts = sorted(self.rng.random() for _ in range(stages - 1))
        return [created] + [created + span * c for c in cuts]

    def _status(self, stage: StageInfo, cancelled: bool, live: bool) -> str:
        if cancelled:
            return Rollin.Status.CANCELLED
        if live:
            return Rollin.Status.LIVE
        status = self.rng.choices(
            list(SIDE_STATUS_WEIGHTS), weights=list(SIDE_STATUS_WEIGHTS.values())
        )[0]
        kinds = {kind for _id, kind, _actor in stage.items}
        if status == Rollin.Status.FAILING and ItemDefinition.Kind.AUTOMATIC not in kinds:
            status = Rollin.Status.IN_PROGRESS
        if status == Rollin.Status.WAITING and ItemDefinition.Kind.MANUAL not in kinds:
            status = Rollin.Status.IN_PROGRESS
        return status

    def add(
        self, plan: OrderPlan, template: TemplateInfo, order_id: int, ids: dict[str, int]
    ) -> None:
        rng, now = self.rng, self.now
        index = self._stage_index(template, plan.cancelled)
        live = not plan.cancelled and index == template.live_index
        times = self._timeline(index + 1, live)
        stage = template.stages[index]
        status = str(self._status(stage, plan.cancelled, live))
        staff_id = self.staff_by_authority[plan.authority_id]
        created = times[0]
        self.status_counts[status] = self.status_counts.get(status, 0) + 1

        # History: placed, one advance per stage passed, then the side state's own entry.
        rollin_id = ids["rollin"]
        ids["rollin"] += 1
        last_at = created
        stage_entered = times[-1]
        due_at: dt.datetime | None = None
        overdue: dt.datetime | None = None
        entries: list[tuple[str, int | None, int | None, str, str, int | None, str]] = []
        pre_side = Rollin.Status.WAITING if status == Rollin.Status.WAITING else "in_progress"
        for step in range(index + 1):
            to_status = "live" if template.stages[step].is_live else "in_progress"
            if step == index and status in (Rollin.Status.WAITING,):
                to_status = pre_side
            if step == 0:
                entries.append(("placed", None, template.stages[0].id, "", to_status, staff_id, ""))
            else:
                prev = template.stages[step - 1].id
                from_status = "in_progress"
                entries.append(
                    ("advanced", prev, template.stages[step].id, from_status, to_status, None, "")
                )
        side_reason = ""
        before_hold = ""
        if status == Rollin.Status.ON_HOLD:
            before_hold = rng.choice(["in_progress", "waiting"])
            side_reason = "Haushaltssperre bis Jahresende"
            coordinator = self.coordinator_id
            entries.append(("held", None, None, before_hold, status, coordinator, side_reason))
        elif status == Rollin.Status.FAILING:
            error = "Zeitüberschreitung"
            entries.append(("failing", None, None, "in_progress", status, None, error))
        elif status == Rollin.Status.CANCELLED:
            side_reason = "Bedarf entfallen"
            entries.append(("cancelled", None, None, "in_progress", status, staff_id, side_reason))
        stage_times: list[dt.datetime | None] = [*times, *([None] * (len(entries) - len(times)))]
        if status in (Rollin.Status.IN_PROGRESS, Rollin.Status.WAITING, Rollin.Status.FAILING):
            due_at = stage_entered + dt.timedelta(days=stage.due_working_days * 7 / 5)
            if due_at < now and rng.random() < 0.8:
                # The sweep flags an overdue stage once and logs it; so does the generator.
                entries.append(("overdue", None, None, status, status, None, "Frist überschritten"))
                stage_times.append(min(due_at + dt.timedelta(hours=1), now))
        for seq, ((action, from_s, to_s, from_st, to_st, actor, reason), at) in enumerate(
            zip(entries, stage_times, strict=True), start=1
        ):
            if at is None:
                at = min(last_at + rng.uniform(0.1, 20) * dt.timedelta(days=1), now)
            last_at = max(at, last_at)
            if action == "overdue":
                overdue = last_at
            self.history.append(
                (
                    ids["history"],
                    rollin_id,
                    seq,
                    action,
                    from_s,
                    to_s,
                    from_st,
                    to_st,
                    None,
                    actor,
                    reason,
                    last_at,
                )
            )
            ids["history"] += 1

        next_attempt = None
        last_error = ""
        if status == Rollin.Status.FAILING:
            next_attempt = now + rng.uniform(0, 6) * dt.timedelta(hours=1)
            last_error = "Zustellpunkt nicht erreichbar (Zeitüberschreitung)"
        live_at = stage_entered if live else None
        cancelled_at = last_at if plan.cancelled else None
        self.orders.append(
            (
                order_id,
                self._number(created),
                plan.authority_id,
                plan.service_id,
                "Fachverfahren laut Ausschreibung",
                "Erika Mustermann",
                f"kontakt{order_id}@{BENCH_EMAIL_DOMAIN}",
                "+49 89 000000",
                (created + dt.timedelta(days=120)).date(),
                rng.random() < 0.4,
                staff_id,
                staff_id,
                created,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                created,
                cancelled_at,
                staff_id if plan.cancelled else None,
                side_reason if plan.cancelled else "",
            )
        )
        self.rollins.append(
            (
                rollin_id,
                order_id,
                plan.state_id,
                plan.service_id,
                template.id,
                stage.id,
                status,
                before_hold,
                side_reason if status == Rollin.Status.ON_HOLD else "",
                stage_entered,
                due_at,
                overdue,
                None,
                live_at,
                None,
                next_attempt,
                last_error,
                last_at,
                last_at,
                _waiting_on(stage, status),
                stage.position,
                None,  # assignee_last_name: nobody assigned, as assignee_id above
                len(entries),  # last_seq, dropped if the model has no such field
            )
        )
        self._add_items(rollin_id, stage, status, stage_entered, staff_id, ids)

    def _add_items(
        self,
        rollin_id: int,
        stage: StageInfo,
        status: str,
        entered: dt.datetime,
        staff_id: int,
        ids: dict[str, int],
    ) -> None:
        failed_one = False
        for definition_id, kind, actor in stage.items:
            item_status, attempts, error, done_at, done_by = "open", 0, "", None, None
            automatic = kind == ItemDefinition.Kind.AUTOMATIC
            if (
                status == Rollin.Status.LIVE
                or (status == Rollin.Status.WAITING and automatic)
                or (status in ("in_progress", "on_hold") and self.rng.random() < 0.4)
            ):
                item_status, done_at = "done", entered + dt.timedelta(hours=2)
                done_by = staff_id if actor == ItemDefinition.Actor.STAFF else None
            if status == Rollin.Status.FAILING and automatic and not failed_one:
                item_status, attempts, error, failed_one = "failed", 3, "Zeitüberschreitung", True
            self.items.append(
                (
                    ids["item"],
                    rollin_id,
                    definition_id,
                    stage.id,
                    item_status,
                    attempts,
                    None,
                    error,
                    "",
                    "{}",
                    done_by,
                    done_at,
                    "",
                    entered,
                )
            )
            ids["item"] += 1


def _waiting_on(stage: StageInfo, status: str) -> str:
    """Whose turn a waiting roll-in is (rollin.waiting): its automatic items are done, so the
    first manual item of the stage is next."""
    if status != Rollin.Status.WAITING:
        return ""
    manual = (actor for _id, kind, actor in stage.items if kind == ItemDefinition.Kind.MANUAL)
    return next(manual, "")


ORDER_COLUMNS = [
    "id",
    "number",
    "authority_id",
    "service_id",
    "fachverfahren_other",
    "contact_name",
    "contact_email",
    "contact_phone",
    "desired_golive",
    "funding_requested",
    "placed_by_id",
    "terms_accepted_by_id",
    "terms_accepted_at",
    "checkout_key",
    "created_at",
    "cancelled_at",
    "cancelled_by_id",
    "cancel_reason",
]
ROLLIN_COLUMNS = [
    "id",
    "order_id",
    "state_id",
    "service_id",
    "template_id",
    "stage_id",
    "status",
    "status_before_hold",
    "hold_reason",
    "stage_entered_at",
    "due_at",
    "overdue_flagged_at",
    "reminded_at",
    "live_at",
    "assignee_id",
    "next_attempt_at",
    "last_error",
    "last_progress_at",
    "updated_at",
    "waiting_on",
    "stage_position",
    "assignee_last_name",
]
ITEM_COLUMNS = [
    "id",
    "rollin_id",
    "definition_id",
    "stage_id",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "document",
    "data",
    "completed_by_id",
    "completed_at",
    "rejection_reason",
    "created_at",
]
HISTORY_COLUMNS = [
    "id",
    "rollin_id",
    "seq",
    "action",
    "from_stage_id",
    "to_stage_id",
    "from_status",
    "to_status",
    "item_id",
    "actor_id",
    "reason",
    "created_at",
]


def _columns_with_defaults(
    model: type[Model], columns: list[str]
) -> tuple[list[str], Callable[[tuple[object, ...]], tuple[object, ...]]]:
    """Add columns other apps added later (with their defaults), so COPY keeps working."""
    known = set(columns)
    extras = []
    for model_field in model._meta.concrete_fields:
        assert model_field.column is not None  # a concrete field has a column
        if model_field.column in known:
            continue
        default = model_field.get_default()
        if isinstance(default, dict | list):
            default = json.dumps(default)
        extras.append((model_field.column, default))
    suffix = tuple(value for _column, value in extras)
    return columns + [c for c, _v in extras], (lambda row: row + suffix)


@contextlib.contextmanager
def foreign_key_checks_off() -> Iterator[None]:
    """Skip PostgreSQL's FK triggers while loading rows that reference each other by
    construction: the deferred checks cost more than the COPY itself. Needs a superuser
    (bench databases); without one the checks simply stay on."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")  # regenerable data
    yield


def refresh_statistics() -> None:
    """Fresh statistics for every table (geo and user tables too), or the planner judges half
    a million rows by an empty table and picks nested loops over 500,000 index probes.
    VACUUM also sets the visibility map, so index-only scans work as they will once
    autovacuum has run; inside a transaction (tests) only ANALYZE is possible."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def reset_orders() -> None:
    """Remove every order and what hangs off it (bench databases only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred FK checks of rows written in this transaction would block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {Order._meta.db_table} CASCADE")
    else:
        HistoryEntry.objects.all().delete()
        Order.objects.all().delete()
    OrderNumberSequence.objects.all().delete()


def generate_orders(
    *,
    services: list[Service],
    authorities: list[Authority],
    orders: int,
    seed: int,
    batch_size: int = 5000,
    progress: ProgressFn | None = None,
) -> GenerationResult:
    rng = random.Random(seed)
    fallback = default_template()
    templates: dict[int, TemplateInfo] = {}
    template_by_service: dict[int, TemplateInfo] = {}
    for service in services:
        own = StageTemplate.objects.filter(service=service).first() or fallback
        if own is None:
            raise ValueError("Keine Standard-Stufenvorlage: erst `manage.py migrate` ausführen.")
        if own.id not in templates:
            templates[own.id] = load_template(own)
        template_by_service[service.id] = templates[own.id]

    chosen, reorders, capacity = plan_pairs(services, authorities, orders, rng)
    state_of = {authority.id: authority.state_id for authority in authorities}
    plans = [OrderPlan(a, s, rng.random() < CANCELLED_SHARE, state_of[a]) for a, s in chosen]
    plans += [OrderPlan(a, s, True, state_of[a]) for a, s in reorders]
    rng.shuffle(plans)
    ordering_ids = {p.authority_id for p in plans}
    staff = ensure_staff_users([a for a in authorities if a.id in ordering_ids])
    coordinator = ensure_bench_user(Role.COORDINATOR)
    builder = RowBuilder(
        now=timezone.now(),
        rng=rng,
        templates=templates,
        staff_by_authority=staff,
        coordinator_id=coordinator.id,
    )
    builder.numbers = dict(OrderNumberSequence.objects.values_list("year", "last_value"))
    ids = {"order": next_id(Order), "rollin": next_id(Rollin)}
    ids |= {"item": next_id(RollinItem), "history": next_id(HistoryEntry)}
    result = GenerationResult(services=len(services), capacity=capacity)
    has_last_seq = any(f.name == "last_seq" for f in Rollin._meta.concrete_fields)
    rollin_columns = ROLLIN_COLUMNS + (["last_seq"] if has_last_seq else [])
    layouts = {
        Order: _columns_with_defaults(Order, ORDER_COLUMNS),
        Rollin: _columns_with_defaults(Rollin, rollin_columns),
        RollinItem: _columns_with_defaults(RollinItem, ITEM_COLUMNS),
        HistoryEntry: _columns_with_defaults(HistoryEntry, HISTORY_COLUMNS),
    }
    for start in range(0, len(plans), batch_size):
        builder.reset_batch()
        for plan in plans[start : start + batch_size]:
            builder.add(plan, template_by_service[plan.service_id], ids["order"], ids)
            ids["order"] += 1
        with transaction.atomic(), foreign_key_checks_off():
            for model, rows in (
                (Order, builder.orders),
                (Rollin, builder.rollins if has_last_seq else [r[:-1] for r in builder.rollins]),
                (RollinItem, builder.items),
                (HistoryEntry, builder.history),
            ):
                columns, complete = layouts[model]
                write_rows(model, columns, (complete(row) for row in rows))
        result.items += len(builder.items)
        result.history += len(builder.history)
        if progress:
            progress("Bestellungen", min(start + batch_size, len(plans)), len(plans))
    for model in (Order, Rollin, RollinItem, HistoryEntry):
        sync_id_sequence(model)
    refresh_statistics()
    for year, last_value in builder.numbers.items():
        OrderNumberSequence.objects.update_or_create(year=year, defaults={"last_value": last_value})
    result.orders = len(plans)
    result.cancelled = sum(1 for p in plans if p.cancelled)
    result.rollins_by_status = dict(sorted(builder.status_counts.items()))
    return result
