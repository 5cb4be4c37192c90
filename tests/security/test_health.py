"""/health/ against the real broker and a real worker; JSON logs in production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from digitalmarkt.celery import app as celery_app
from portal import health
from tests.rollin.worker_harness import (
    start_worker,
    stop_worker,
    wait_until,
    worker_log_discard,
)
from tests.security.broker import CLOSED_PORT_BROKER, broker_at

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_cache(require_redis, settings):
    # The worker is another process: the heartbeat must travel through a shared cache.
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ReusingRedisCache",  # as in production
            "LOCATION": require_redis,
        }
    }
    cache.delete(health.HEARTBEAT_CACHE_KEY)
    yield require_redis
    cache.delete(health.HEARTBEAT_CACHE_KEY)


@pytest.fixture
def broker(require_redis):
    with broker_at(require_redis):
        yield require_redis


@pytest.mark.django_db
def test_health_reports_the_real_broker_as_ok(client, broker) -> None:
    body = client.get(reverse("portal:health")).json()
    assert body["checks"]["broker"] == {"ok": True}
    assert body["checks"]["database"] == {"ok": True}


@pytest.mark.django_db
def test_health_fails_with_503_when_the_broker_port_is_closed(client, broker) -> None:
    with broker_at(CLOSED_PORT_BROKER):
        response = client.get(reverse("portal:health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"] == {"ok": True}


@pytest.mark.django_db
def test_a_running_worker_makes_health_ok(client, broker, redis_cache, tmp_path) -> None:
    assert client.get(reverse("portal:health")).json()["status"] == "degraded"

    worker = start_worker(
        redis_cache,
        name="health",
        extra_env={
            "CACHE_URL": redis_cache,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        },
    )
    try:
        # Beat would send this every 30 s; the test sends it once through the real broker.
        celery_app.send_task("portal.tasks.heartbeat")
        wait_until(lambda: cache.get(health.HEARTBEAT_CACHE_KEY) is not None, timeout=60,
                   what="the worker's heartbeat")  # fmt: skip
    finally:
        stop_worker(worker)
        print(worker_log_discard(worker))  # shown only if the test failed

    body = client.get(reverse("portal:health")).json()
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["ok"] is True


def test_production_logs_are_json(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="x",
        DIGITALMARKT_VAR_DIR=str(tmp_path),
    )
    code = (
        "import django, logging, os; os.environ['DJANGO_SETTINGS_MODULE']='digitalmarkt.settings';"
        " django.setup(); logging.getLogger('digitalmarkt.security').warning("
        "'login_failed', extra={'email': 'a@example.org'})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["levelname"] == "WARNING"
    assert record["name"] == "digitalmarkt.security"
    assert record["message"] == "login_failed"
    assert record["email"] == "a@example.org"
