from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from outreach.services import reminders_send


@shared_task(name="outreach.tasks.send_training_reminders", ignore_result=True)
def send_training_reminders() -> None:
    """Beat: remind bookings of sessions within the next day; each booking once."""
    reminders_send()


@shared_task(name="outreach.tasks.send_campaign_batch", bind=True, ignore_result=True)
def send_campaign_batch(self: Task, campaign_id: int) -> None:
    """Throttled sending: one batch into the outbox, then the next after a pause."""
    from outreach.campaigns import campaign_send_batch

    if campaign_send_batch(campaign_id=campaign_id):
        self.apply_async(args=(campaign_id,), countdown=settings.OUTREACH_CAMPAIGN_BATCH_SECONDS)
