from __future__ import annotations

from celery import shared_task

from portal.health import heartbeat_record


@shared_task(name="portal.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every 30 s; a worker that runs it proves it is alive."""
    heartbeat_record()
