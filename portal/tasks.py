from __future__ import annotations

from celery import Task, shared_task

from portal.digests import digests_send
from portal.health import heartbeat_record
from portal.services import email_deliver, email_sweep


@shared_task(name="portal.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every 30 s; a worker that runs it proves it is alive."""
    heartbeat_record()


# max_retries=None: the row counts the attempts and gives up (EMAIL_OUTBOX_MAX_ATTEMPTS), so a
# second count here could only disagree with it.
@shared_task(
    name="portal.tasks.send_email", bind=True, acks_late=True, ignore_result=True, max_retries=None
)
def send_email(self: Task, email_id: int) -> None:
    """Send one outbox row; after a failure, come back when its backoff is over."""
    retry_in = email_deliver(email_id=email_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="portal.tasks.sweep_emails", ignore_result=True)
def sweep_emails() -> None:
    """Beat, every minute: enqueue outbox rows whose task was lost."""
    email_sweep()


@shared_task(name="portal.tasks.send_digests", ignore_result=True)
def send_digests() -> None:
    """Beat: send the day's reminder digests that are due (at most one per person and day)."""
    digests_send()
