"""Benchmark: orders per second a real Celery worker walks through all automatic items.

It creates N benchmark orders standing at the end of Kick-off (every manual item before
Anbindung done), starts a worker subprocess on the configured broker with the in-process
simulated Fachverfahren, enqueues `advance` for every order and measures until all of them
wait at the manual test confirmation (Anbindung, Konfiguration and Test's automatic items
behind them: five connector actions and three stage moves each). In the same run it
measures a no-op task on the same broker and worker as the baseline. The fixture
(`benchmarks.worker_fixture`) is written in bulk and removed afterwards; it touches only rows
it marked as its own, so it can run on a database that holds generate_national's data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks.step_queries import step_cost
from benchmarks.tasks import noop
from benchmarks.worker_fixture import STATE_AGS, worker_fixture_create, worker_fixture_remove
from rollin.models import Rollin
from rollin.tasks import advance

NOOP_COUNTER = "benchmarks:worker:noop"
STEP_SAMPLE = 20
READY_COUNTER = "benchmarks:worker:ready"


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
        worker_fixture_remove()
        started = time.monotonic()
        order_ids = worker_fixture_create(n)
        self.stdout.write(
            f"{n} Benchmark-Bestellungen angelegt in {time.monotonic() - started:.1f} s"
        )
        # A few orders walked in this process, where every statement can be counted; the
        # worker walks the rest.
        # (at most half of them, so a small run still measures the worker)
        k = min(STEP_SAMPLE, len(order_ids) // 2)
        sample, order_ids = order_ids[:k], order_ids[k:]
        cost = step_cost(sample)
        import redis

        client = redis.Redis.from_url(broker)
        advance.app.control.purge()
        worker = self._worker(options["concurrency"])
        try:
            self._await_worker(client, options["timeout"])
            noop_rate = self._noop_rate(client, n, options["timeout"])
            advance_rate = self._advance_rate(order_ids, len(sample), options["timeout"])
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)
            worker_fixture_remove()
        self.stdout.write(
            f"Gesamtdauer: {time.monotonic() - started:8.1f} s\n"
            f"No-op-Task:  {noop_rate:8.1f} Tasks/s\n"
            f"advance:     {advance_rate:8.1f} Bestellungen/s durch alle automatischen Punkte "
            f"({len(order_ids)} Bestellungen, Worker mit {options['concurrency']} Prozessen)\n"
            f"je Schritt:  {cost.queries_per_step:8.1f} Abfragen, {cost.writes_per_step:.1f} davon "
            f"schreibend ({cost.steps} Connector-Schritte von {cost.orders} Bestellungen gezählt; "
            f"je Bestellung {cost.queries / max(cost.orders, 1):.0f} Abfragen; dazu "
            f"{cost.savepoints / max(cost.steps, 1):.1f} SAVEPOINT/RELEASE je Schritt)"
        )

    def _worker(self, concurrency: int) -> subprocess.Popen[bytes]:
        # As in production, and as the page benchmark's gunicorn: without DEBUG's query log.
        env = {**os.environ, "ROLLIN_CONNECTOR": "inprocess", "DJANGO_DEBUG": "0"}
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

    def _advance_rate(self, order_ids: list[int], walked: int, timeout: float) -> float:
        started = time.monotonic()
        for order_id in order_ids:
            advance.delay(order_id)
        # Every roll-in of the fixture's own state, the `walked` sample included: a count
        # over an index, not an IN list of thousands of ids built five times a second by
        # this process on the cores the worker is measured on.
        waiting = Rollin.objects.filter(
            state__ags=STATE_AGS, stage__code="test", status=Rollin.Status.WAITING
        )
        done = len(order_ids) + walked
        self._wait(lambda: waiting.count() >= done, started, timeout, "advance")
        return len(order_ids) / (time.monotonic() - started)

    def _wait(self, done: Any, started: float, timeout: float, what: str) -> None:
        while not done():
            if time.monotonic() - started > timeout:
                raise CommandError(f"{what}: nicht fertig nach {timeout} s")
            time.sleep(0.2)  # polling the result, not synchronising
