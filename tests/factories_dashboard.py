"""Orders with a roll-in at any stage and status, built directly (fast, fully controlled).

The rows are what rollin.services would have written (current stage's items, a "placed"
history entry with seq 1), so the real services can act on them afterwards.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from orders.models import Order
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem, StageDefinition
from tests.factories_orders import OrderFactory
from tests.factories_rollin import ensure_default_template

Status = Rollin.Status
PDF = b"%PDF-1.4\n% signed contract\n"


def _derived_status(stage: StageDefinition) -> str:
    if stage.is_live:
        return Status.LIVE
    first = stage.items.order_by("position").first()
    if first is not None and first.kind == ItemDefinition.Kind.MANUAL:
        return Status.WAITING
    return Status.IN_PROGRESS


def rollin_order(
    *,
    stage: str = "bestellt",
    status: str | None = None,
    due_at: datetime.datetime | None = None,
    live_at: datetime.datetime | None = None,
    created_at: datetime.datetime | None = None,
    assignee: Any = None,
    contract_document: bool = False,
    **order_fields: Any,
) -> Order:
    """An order at `stage` (code of the default template) with its roll-in and items."""
    ensure_default_template()
    order = OrderFactory(**order_fields)
    if created_at is not None:
        Order.objects.filter(pk=order.pk).update(created_at=created_at)
        order.created_at = created_at
    stage_def = StageDefinition.objects.get(template__service__isnull=True, code=stage)
    now = timezone.now()
    status = status or _derived_status(stage_def)
    if status == Status.LIVE and live_at is None:
        live_at = now
    rollin = Rollin.objects.create(
        order=order,
        template=stage_def.template,
        stage=stage_def,
        status=status,
        status_before_hold=Status.WAITING if status == Status.ON_HOLD else "",
        stage_entered_at=now,
        last_progress_at=now,
        due_at=due_at,
        live_at=live_at,
        assignee=assignee,
        last_seq=1,
    )
    for definition in stage_def.items.order_by("position"):
        item = RollinItem(rollin=rollin, definition=definition, stage=stage_def)
        if contract_document and definition.code == "vertrag_hochladen":
            item.status = RollinItem.Status.DONE
            item.completed_at = now
            item.document.save("vertrag.pdf", ContentFile(PDF), save=False)
        item.save()
    HistoryEntry.objects.create(
        rollin=rollin,
        seq=1,
        action=HistoryEntry.Action.PLACED,
        to_stage=stage_def,
        to_status=status,
        actor=order.placed_by,
        created_at=created_at or now,
    )
    return order
