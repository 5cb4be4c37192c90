"""Celery entry point of large bulk actions: takes the job id, calls the service."""

from __future__ import annotations

from celery import shared_task

from dashboard.services import bulk_job_run


@shared_task(acks_late=True)
def bulk_action(job_id: int) -> None:
    # Idempotent: bulk_job_run continues from the job's recorded position.
    bulk_job_run(job_id=job_id)
