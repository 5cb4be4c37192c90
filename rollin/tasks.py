"""Celery tasks of the roll-in: thin wrappers around rollin.worker."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from rollin.models import Rollin
from rollin.worker import rollin_advance, rollin_sweep


@shared_task(acks_late=True, ignore_result=True)
def advance(order_id: int) -> None:
    """Advance one order as far as it goes; come back when its backoff is over."""
    rollin = rollin_advance(order_id=order_id)
    if rollin is None or rollin.status != Rollin.Status.IN_PROGRESS:
        return
    wake = rollin.next_attempt_at or rollin.claimed_until
    if wake is not None and wake > timezone.now():
        # At most one follow-up per task run, so duplicates never multiply; the sweep covers
        # anything lost (e.g. the broker dropping a delayed message).
        advance.apply_async((order_id,), eta=wake)


@shared_task(ignore_result=True)
def sweep() -> None:
    rollin_sweep()
