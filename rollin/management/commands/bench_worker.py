"""Benchmark: orders per second a real Celery worker walks through all automatic items.

It creates N benchmark orders standing at the end of Kick-off (every manual item before
Anbindung done), starts a worker subprocess on the configured broker with the in-process
simulated Fachverfahren, enqueues `advance` for every order and measures until all of them
wait at the manual test confirmation (Anbindung, Konfiguration and Test's automatic items
behind them: five connector actions and three stage moves each). In the same run it
measures a no-op task on the same broker and worker as the baseline. The fixture rows are
written in bulk (a benchmark fixture, not a roll-in) and removed afterwards.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from catalog.models import Service
from geo.models import Authority, District, State
from orders.models import Comment, FundingCase, Order
from rollin.models import (
    ConnectorLog,
    HistoryEntry,
    Rollin,
    RollinItem,
    SimulatorSubmission,
    StageTemplate,
)
from rollin.tasks import advance, noop

PREFIX = "BENCH"
SERVICES = 10
NOOP_COUNTER = "rollin:bench:noop"
READY_COUNTER = "rollin:bench:ready"


class Command(BaseCommand):
    help = "Orders advanced per second by a real worker, next to a no-op task's rate."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--orders", type=int, default=10_000)
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--timeout", type=float, default=3600)

    def handle(self, *args: Any, **options: Any) -> None:
        broker = settings.CELERY_BROKER_URL
        if not broker.startswith("redis://"):
            raise CommandError("bench_worker needs a Redis broker (CELERY_BROKER_URL=redis://…).")
        n = options["orders"]
        self._cleanup()
        started = time.monotonic()
        order_ids = self._fixture(n)
        self.stdout.write(
            f"{n} Benchmark-Bestellungen angelegt in {time.monotonic() - started:.1f} s"
        )
        import redis

        client = redis.Redis.from_url(broker)
        advance.app.control.purge()
        worker = self._worker(options["concurrency"])
        try:
            self._await_worker(client, options["timeout"])
            noop_rate = self._noop_rate(client, n, options["timeout"])
            advance_rate = self._advance_rate(order_ids, options["timeout"])
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)
            self._cleanup()
        self.stdout.write(
            f"Gesamtdauer: {time.monotonic() - started:8.1f} s\n"
            f"No-op-Task:  {noop_rate:8.1f} Tasks/s\n"
            f"advance:     {advance_rate:8.1f} Bestellungen/s durch alle automatischen Punkte "
            f"({n} Bestellungen, Worker mit {options['concurrency']} Prozessen)"
        )

    def _worker(self, concurrency: int) -> subprocess.Popen[bytes]:
        env = {**os.environ, "ROLLIN_CONNECTOR": "inprocess"}
        return subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "digitalmarkt",
                "worker",
                "--pool=prefork",
                "-c",
                str(concurrency),
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                "bench@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )

    def _await_worker(self, client: Any, timeout: float) -> None:
        """Start timing only once the worker consumes: its start-up is not the broker's rate."""
        client.delete(READY_COUNTER)
        started = time.monotonic()
        noop.delay(READY_COUNTER)
        self._wait(lambda: int(client.get(READY_COUNTER) or 0) >= 1, started, timeout, "Start")
        self.stdout.write(f"Worker bereit nach {time.monotonic() - started:.1f} s")

    def _noop_rate(self, client: Any, n: int, timeout: float) -> float:
        client.delete(NOOP_COUNTER)
        started = time.monotonic()
        for _ in range(n):
            noop.delay(NOOP_COUNTER)
        self._wait(lambda: int(client.get(NOOP_COUNTER) or 0) >= n, started, timeout, "no-op")
        return n / (time.monotonic() - started)

    def _advance_rate(self, order_ids: list[int], timeout: float) -> float:
        started = time.monotonic()
        for order_id in order_ids:
            advance.delay(order_id)
        waiting = Rollin.objects.filter(
            order_id__in=order_ids, stage__code="test", status=Rollin.Status.WAITING
        )
        self._wait(lambda: waiting.count() >= len(order_ids), started, timeout, "advance")
        return len(order_ids) / (time.monotonic() - started)

    def _wait(self, done: Any, started: float, timeout: float, what: str) -> None:
        while not done():
            if time.monotonic() - started > timeout:
                raise CommandError(f"{what}: nicht fertig nach {timeout} s")
            time.sleep(0.2)  # polling the result, not synchronising

    @transaction.atomic
    def _fixture(self, n: int) -> list[int]:
        template = StageTemplate.objects.get(service__isnull=True)
        stages = {s.code: s for s in template.stages.prefetch_related("items")}
        kickoff = stages["kickoff"]
        state, _ = State.objects.get_or_create(ags="99", defaults={"name": "Benchmark"})
        district, _ = District.objects.get_or_create(
            ags="99999",
            defaults={
                "name": "Benchmark",
                "official_name": "Benchmark",
                "kind": "landkreis",
                "state": state,
            },
        )
        per_service = (n + SERVICES - 1) // SERVICES
        Authority.objects.bulk_create(
            [
                Authority(
                    code=f"{PREFIX}{i:06d}",
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
        authorities = list(Authority.objects.filter(code__startswith=PREFIX).order_by("code"))
        services = [
            Service.objects.create(
                slug=f"bench-{i}",
                name=f"Benchmark {i}",
                short_description="Benchmark",
                description="Benchmark",
                level="municipal",
                responsible_authority="Benchmark",
                status=Service.Status.PLANNED,
            )
            for i in range(SERVICES)
        ]
        user = User.objects.create(
            email=f"bench-{uuid.uuid4().hex[:8]}@bench.invalid", role=Role.STAFF
        )
        now = timezone.now()
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"{PREFIX}-{i:07d}",
                    authority=authorities[i % per_service],
                    service=services[i // per_service],
                    fachverfahren_other="Benchmark",
                    contact_name="Bench",
                    contact_email="bench@bench.invalid",
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
        orders = list(Order.objects.filter(number__startswith=PREFIX).order_by("id"))
        Rollin.objects.bulk_create(
            [
                Rollin(
                    order=o,
                    template=template,
                    stage=kickoff,
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
        return [o.pk for o in orders]

    def _cleanup(self) -> None:
        """Remove the fixture and what the run wrote about it, audit entries included.

        The ORM's delete() would load every row (10,000 orders leave ~250,000 rows of items,
        history, connector logs and audit entries) and write an audit entry per deleted
        order; plain DELETEs by id take seconds."""
        order_ids = list(
            Order.objects.filter(number__startswith=PREFIX).values_list("id", flat=True)
        )
        rollin_ids = list(
            Rollin.objects.filter(order_id__in=order_ids).values_list("id", flat=True)
        )
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
            users = list(
                Order.objects.filter(pk__in=order_ids)
                .values_list("placed_by_id", flat=True)
                .distinct()
            )
            _delete_where(Order, "id", order_ids)
            SimulatorSubmission.objects.filter(key__startswith=PREFIX).delete()
            User.objects.filter(pk__in=users).delete()
            Service.objects.filter(slug__startswith="bench-").delete()
            Authority.objects.filter(code__startswith=PREFIX).delete()


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
