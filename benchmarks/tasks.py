"""Celery tasks that exist only for the benchmarks (never enqueued by the portal itself)."""

from __future__ import annotations

import functools
from typing import Any

from celery import shared_task


@shared_task(ignore_result=True)
def noop(counter_key: str = "") -> None:
    """bench_worker's baseline: broker and worker cost, plus one Redis INCR to count it."""
    if counter_key:
        _redis().incr(counter_key)


@functools.cache
def _redis() -> Any:
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)
