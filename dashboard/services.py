"""Bulk actions: the single-order roll-in services applied to many orders, with a report.

Each order goes through exactly the rollin.services function a single action uses, so the
transition table, guards and history are the same; a refusal of one order is recorded and
the rest continue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dashboard.models import BulkJob
from orders.selectors import order_visible_to
from rollin import services as rollin_services
from rollin.models import ItemDefinition, Rollin, RollinItem

# Above this many orders a bulk action runs in a Celery worker with a progress page.
SYNC_LIMIT = 200

CONTRACT_UPLOAD = ItemDefinition.Role.CONTRACT_UPLOAD
COUNTERSIGN = ItemDefinition.Role.COUNTERSIGNATURE


class BulkError(ValidationError):
    """An order a bulk action cannot handle before reaching the roll-in service."""


def _countersign(rollin_id: int, actor: User) -> None:
    """Complete "Vertrag gegenzeichnen" only where the authority uploaded the contract."""
    items = {
        item.definition.role: item
        for item in RollinItem.objects.filter(
            rollin_id=rollin_id, definition__role__in=[CONTRACT_UPLOAD, COUNTERSIGN]
        ).select_related("definition")
    }
    upload, countersign = items.get(CONTRACT_UPLOAD), items.get(COUNTERSIGN)
    if upload is None or countersign is None:
        raise BulkError(_("Die Bestellung ist noch nicht in der Vertragsstufe."))
    if not upload.document or upload.status != RollinItem.Status.DONE:
        raise BulkError(_("Es liegt noch kein unterschriebener Vertrag vor."))
    if countersign.status == RollinItem.Status.DONE:
        raise BulkError(_("Der Vertrag ist bereits gegengezeichnet."))
    rollin_services.rollin_item_complete(item_id=countersign.pk, actor=actor)


def _action_for(job: BulkJob, actor: User) -> Callable[[int], Any]:
    params = job.params
    if job.action == BulkJob.Action.ASSIGN_ME:
        return lambda rid: rollin_services.rollin_assign(rollin_id=rid, actor=actor, assignee=actor)
    if job.action == BulkJob.Action.ASSIGN:
        assignee = User.objects.filter(pk=params.get("assignee_id")).first()
        return lambda rid: rollin_services.rollin_assign(
            rollin_id=rid, actor=actor, assignee=assignee
        )
    if job.action == BulkJob.Action.REMIND:
        return lambda rid: rollin_services.rollin_remind(rollin_id=rid, actor=actor)
    if job.action == BulkJob.Action.HOLD:
        reason = params.get("reason", "")
        return lambda rid: rollin_services.rollin_hold(rollin_id=rid, actor=actor, reason=reason)
    if job.action == BulkJob.Action.RESUME:
        reason = params.get("reason", "")
        return lambda rid: rollin_services.rollin_resume(rollin_id=rid, actor=actor, reason=reason)
    if job.action == BulkJob.Action.COUNTERSIGN:
        return lambda rid: _countersign(rid, actor)
    raise ValueError(job.action)


@transaction.atomic
def bulk_job_create(
    *, actor: User, action: str, order_ids: list[int], params: dict[str, Any] | None = None
) -> BulkJob:
    """Record what to do; only orders the actor may see are kept, in a stable order."""
    visible = list(
        order_visible_to(actor).filter(pk__in=order_ids).order_by("pk").values_list("pk", flat=True)
    )
    return BulkJob.objects.create(
        created_by=actor,
        action=action,
        params={**(params or {}), "order_ids": visible},
        total=len(visible),
    )


def bulk_job_start(
    *, actor: User, action: str, order_ids: list[int], params: dict[str, Any] | None = None
) -> BulkJob:
    """Run small jobs now; hand large ones to the worker after commit."""
    job = bulk_job_create(actor=actor, action=action, order_ids=order_ids, params=params)
    if job.total > SYNC_LIMIT:
        from dashboard.tasks import bulk_action  # tasks import services

        transaction.on_commit(lambda: bulk_action.delay(job.pk))
        return job
    return bulk_job_run(job_id=job.pk)


def bulk_job_run(*, job_id: int) -> BulkJob:
    """Process the job's orders from where it stopped; safe to run twice or after a crash."""
    job = BulkJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == BulkJob.Status.DONE:
        return job
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.RUNNING)
    actor = job.created_by
    act = _action_for(job, actor)
    order_ids: list[int] = job.params.get("order_ids", [])
    rollins = dict(Rollin.objects.filter(order_id__in=order_ids).values_list("order_id", "pk"))
    numbers = dict(order_visible_to(actor).filter(pk__in=order_ids).values_list("pk", "number"))
    for order_id in order_ids[job.processed :]:
        _bulk_step(job, order_id, numbers.get(order_id, str(order_id)), rollins.get(order_id), act)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _bulk_step(
    job: BulkJob, order_id: int, number: str, rollin_id: int | None, act: Callable[[int], Any]
) -> None:
    # The action and the progress counter commit together: a rerun skips exactly the orders
    # already handled (the service's own atomic block becomes a savepoint here).
    with transaction.atomic():
        error = ""
        if rollin_id is None:
            error = _("Kein Roll-in vorhanden.")
        else:
            try:
                act(rollin_id)
            except ValidationError as exc:
                error = " ".join(exc.messages)
        if error:
            job.errors.append({"number": number, "error": error})
            job.failed += 1
            BulkJob.objects.filter(pk=job.pk).update(failed=F("failed") + 1, errors=job.errors)
        else:
            job.done += 1
            BulkJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
