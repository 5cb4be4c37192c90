"""bench_worker's fixture: N orders at the end of Kick-off, and their removal.

Every row the fixture writes carries a mark of its own, and removal selects by those marks
only — never by a loose prefix such as "bench-" — so the benchmark can run on a database that
also holds generate_national's data (services "bench-leistung-…", orders "DM-…", users
"@bench.digitalmarkt.invalid"), which it must neither delete nor trip over.

The rows are written in bulk (a benchmark fixture, not a roll-in: no history of how it got
there beyond "placed") and removed with plain DELETEs.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from catalog.models import Service
from geo.models import Authority, District, State
from orders.models import Comment, FundingCase, Order
from rollin.figures import figures_rebuild
from rollin.models import (
    ConnectorLog,
    HistoryEntry,
    Rollin,
    RollinItem,
    SimulatorSubmission,
    StageTemplate,
)

# The marks. Order numbers also start the simulator's submission keys ("<number>:<stage>:…").
ORDER_PREFIX = "BENCHW-"
AUTHORITY_PREFIX = "BENCHW"
SERVICE_PREFIX = "bench-worker-"
USER_DOMAIN = "@bench-worker.invalid"
# A state and district no Gebietsstand has: the fixture's authorities live there.
STATE_AGS = "99"
DISTRICT_AGS = "99999"
SERVICES = 10


def fixture_services() -> Any:
    return Service.objects.filter(slug__startswith=SERVICE_PREFIX)


def fixture_orders() -> Any:
    # Both marks: an order is the fixture's only if its number and its service say so.
    return Order.objects.filter(number__startswith=ORDER_PREFIX, service__in=fixture_services())


def fixture_authorities() -> Any:
    return Authority.objects.filter(code__startswith=AUTHORITY_PREFIX, district__ags=DISTRICT_AGS)


@transaction.atomic
def worker_fixture_create(n: int) -> list[int]:
    """N orders spread over SERVICES services, each with Kick-off's items done; their ids."""
    template = StageTemplate.objects.get(service__isnull=True)
    kickoff = template.stages.prefetch_related("items").get(code="kickoff")
    state, _ = State.objects.get_or_create(ags=STATE_AGS, defaults={"name": "Benchmark"})
    district, _ = District.objects.get_or_create(
        ags=DISTRICT_AGS,
        defaults={
            "name": "Benchmark",
            "official_name": "Benchmark",
            "kind": District.Kind.LANDKREIS,
            "state": state,
        },
    )
    per_service = (n + SERVICES - 1) // SERVICES
    Authority.objects.bulk_create(
        [
            Authority(
                code=f"{AUTHORITY_PREFIX}{i:06d}",
                key=f"{i:06d}",
                kind=Authority.Kind.GEMEINDE,
                name=f"Benchmark-Gemeinde {i}",
                state=state,
                district=district,
                is_municipal_level=True,
            )
            for i in range(per_service)
        ]
    )
    authorities = list(fixture_authorities().order_by("code"))
    services = [
        Service.objects.create(
            slug=f"{SERVICE_PREFIX}{i}",
            name=f"Benchmark {i}",
            short_description="Benchmark",
            description="Von bench_worker angelegt und wieder entfernt.",
            level="municipal",
            responsible_authority="Benchmark",
            status=Service.Status.PLANNED,
        )
        for i in range(SERVICES)
    ]
    user = User.objects.create(email=f"bench-{uuid.uuid4().hex[:8]}{USER_DOMAIN}", role=Role.STAFF)
    now = timezone.now()
    Order.objects.bulk_create(
        [
            Order(
                number=f"{ORDER_PREFIX}{i:07d}",
                authority=authorities[i % per_service],
                service=services[i // per_service],
                fachverfahren_other="Benchmark",
                contact_name="Bench",
                contact_email=f"bench{USER_DOMAIN}",
                contact_phone="0",
                desired_golive=now.date() + datetime.timedelta(days=90),
                placed_by=user,
                terms_accepted_by=user,
                terms_accepted_at=now,
                checkout_key=uuid.uuid4(),
            )
            for i in range(n)
        ]
    )
    orders = list(fixture_orders().select_related("authority").order_by("id"))
    Rollin.objects.bulk_create(
        [
            Rollin(
                order=o,
                state_id=o.authority.state_id,
                service_id=o.service_id,
                template=template,
                stage=kickoff,
                stage_position=kickoff.position,
                status=Rollin.Status.IN_PROGRESS,
                stage_entered_at=now,
                last_progress_at=now,
                last_seq=1,
            )
            for o in orders
        ]
    )
    rollins = list(Rollin.objects.filter(order__in=orders))
    RollinItem.objects.bulk_create(
        [
            RollinItem(
                rollin=r,
                definition=d,
                stage=kickoff,
                status=RollinItem.Status.DONE,
                completed_at=now,
            )
            for r in rollins
            for d in kickoff.items.all()
        ]
    )
    HistoryEntry.objects.bulk_create(
        [
            HistoryEntry(
                rollin=r,
                seq=1,
                action=HistoryEntry.Action.PLACED,
                to_stage=kickoff,
                created_at=now,
            )
            for r in rollins
        ]
    )
    # Written beside the transition function, so counted afterwards (the fixture's own state).
    figures_rebuild(state_ids=[state.pk])
    return [o.pk for o in orders]


def worker_fixture_remove() -> None:
    """Remove the fixture and what the run wrote about it, audit entries included.

    The ORM's delete() would load every row (10,000 orders leave ~250,000 rows of items,
    history, connector logs and audit entries) and write an audit entry per deleted
    order; plain DELETEs by id take seconds. The state and district stay for the next run."""
    order_ids = list(fixture_orders().values_list("id", flat=True))
    rollin_ids = list(Rollin.objects.filter(order_id__in=order_ids).values_list("id", flat=True))
    item_ids = list(
        RollinItem.objects.filter(rollin_id__in=rollin_ids).values_list("id", flat=True)
    )
    with transaction.atomic():
        for model, ids in ((RollinItem, item_ids), (Rollin, rollin_ids), (Order, order_ids)):
            _delete_where(LogEntry, "object_id", ids, content_type=model)
        _delete_where(HistoryEntry, "rollin_id", rollin_ids)
        _delete_where(ConnectorLog, "item_id", item_ids)
        _delete_where(RollinItem, "rollin_id", rollin_ids)
        _delete_where(Rollin, "order_id", order_ids)
        _delete_where(Comment, "order_id", order_ids)
        _delete_where(FundingCase, "order_id", order_ids)
        _delete_where(Order, "id", order_ids)
        SimulatorSubmission.objects.filter(key__startswith=ORDER_PREFIX).delete()
        # Only the fixture's own users and services, and only once no order refers to them.
        User.objects.filter(email__endswith=USER_DOMAIN).exclude(
            pk__in=Order.objects.values("placed_by_id")
        ).delete()
        fixture_services().exclude(pk__in=Order.objects.values("service_id")).delete()
        fixture_authorities().exclude(pk__in=Order.objects.values("authority_id")).delete()
        figures_rebuild(state_ids=State.objects.filter(ags=STATE_AGS).values_list("pk", flat=True))


def _delete_where(model: Any, column: str, ids: list[int], content_type: Any = None) -> None:
    """DELETE … WHERE column = ANY(ids): one statement and one parameter for any number of ids
    (PostgreSQL; the benchmark needs it anyway for its Redis-backed worker's database)."""
    if not ids:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} = ANY(%s)"
    params: list[Any] = [ids]
    if content_type is not None:
        sql += " AND content_type_id = %s"
        params.append(ContentType.objects.get_for_model(content_type).pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
