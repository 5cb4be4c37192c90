"""Liveness of the parts a load balancer and an operator care about."""

from __future__ import annotations

import time

from celery import current_app as celery_app
from django.core.cache import cache
from django.db import connection

# The project's Celery app (digitalmarkt.celery, loaded with Django) is the current one; taken
# through Celery rather than imported, as apps' @shared_task do, so portal stays below the
# project package that includes it.

HEARTBEAT_CACHE_KEY = "portal:worker-heartbeat"
HEARTBEAT_MAX_AGE_SECONDS = 120


def heartbeat_record() -> None:
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=HEARTBEAT_MAX_AGE_SECONDS * 10)


def _check_database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as error:  # any failure means "down" to a load balancer
        return {"ok": False, "error": type(error).__name__}


def _check_broker() -> dict[str, object]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}


def _check_worker() -> dict[str, object]:
    last = cache.get(HEARTBEAT_CACHE_KEY)
    if last is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = time.time() - float(last)
    return {"ok": age <= HEARTBEAT_MAX_AGE_SECONDS, "age_seconds": round(age, 1)}


def health_report() -> dict[str, object]:
    checks = {"database": _check_database(), "broker": _check_broker(), "worker": _check_worker()}
    # The web can serve without a worker (orders are saved, the sweep catches up), so a
    # missing heartbeat degrades but does not fail the instance.
    if not (checks["database"]["ok"] and checks["broker"]["ok"]):
        status = "fail"
    elif not checks["worker"]["ok"]:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks}
