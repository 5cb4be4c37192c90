from __future__ import annotations

from celery import shared_task

from outreach.services import reminders_send


@shared_task(name="outreach.tasks.send_training_reminders", ignore_result=True)
def send_training_reminders() -> None:
    """Beat: remind bookings of sessions within the next day; each booking once."""
    reminders_send()
