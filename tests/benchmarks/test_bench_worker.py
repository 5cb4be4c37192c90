"""Smoke test of `manage.py bench_worker` with a handful of orders (the real run is 10,000:
`make bench-worker`, never part of `make test`)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from digitalmarkt.celery import app as celery_app
from orders.models import Order
from rollin.models import HistoryEntry, Rollin
from tests.factories_rollin import default_template
from tests.rollin.worker_harness import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_bench_worker_reports_both_rates_and_cleans_up(
    require_postgres, require_redis, settings, monkeypatch
) -> None:
    default_template()
    settings.CELERY_BROKER_URL = require_redis
    # celery-types declare broker_url read-only; Celery's conf accepts assignment.
    celery_app.conf.broker_url = require_redis  # type: ignore[misc]
    monkeypatch.setenv("DATABASE_URL", database_url())  # the worker subprocess's database
    monkeypatch.setenv("CELERY_BROKER_URL", require_redis)
    out = io.StringIO()
    call_command("bench_worker", orders=6, concurrency=1, timeout=180, stdout=out)
    report = out.getvalue()
    noop = re.search(r"No-op-Task:\s+([\d.]+) Tasks/s", report)
    # Half the orders are walked in process to count queries per step; the worker walks the rest.
    advance = re.search(r"advance:\s+([\d.]+) Bestellungen/s .*\(3 Bestellungen", report)
    assert re.search(r"je Schritt:\s+[\d.]+ Abfragen", report), report
    assert noop and float(noop.group(1)) > 0, report
    assert advance and float(advance.group(1)) > 0, report
    # The benchmark's rows are gone again.
    assert not Order.objects.filter(number__startswith="BENCH").exists()
    assert not Rollin.objects.exists() and not HistoryEntry.objects.exists()
