"""Factories for catalog tests: orders with a roll-in in a given status, without the worker."""

from __future__ import annotations

from django.utils import timezone

from catalog.models import Service
from geo.models import Authority
from orders.models import Order
from rollin.models import Rollin, StageDefinition, StageTemplate
from tests.factories import AuthorityFactory, StaffFactory
from tests.factories_orders import OrderFactory


def default_stage_template() -> StageTemplate:
    """The default template (from rollin's data migration), or a minimal one if flushed."""
    template = StageTemplate.objects.filter(service__isnull=True).first()
    if template is None:
        template = StageTemplate.objects.create(name="Standardablauf")
        StageDefinition.objects.create(
            template=template, position=1, code="bestellt", label="Bestellt"
        )
        StageDefinition.objects.create(
            template=template, position=2, code="wirkbetrieb", label="Wirkbetrieb", is_live=True
        )
    return template


def order_with_rollin(
    *,
    service: Service,
    status: str = Rollin.Status.IN_PROGRESS,
    authority: Authority | None = None,
    cancelled: bool = False,
) -> Order:
    """An order and its roll-in row written directly: counts only read these two tables."""
    authority = authority or AuthorityFactory()
    order = OrderFactory(
        service=service,
        authority=authority,
        # No password: hashing one per order would dominate tests that create dozens.
        placed_by=StaffFactory(authority=authority, password=None),
        cancelled_at=timezone.now() if cancelled else None,
    )
    template = default_stage_template()
    stages = template.stages.order_by("position")
    stage = stages.filter(is_live=True).first() if status == Rollin.Status.LIVE else stages.first()
    assert stage is not None
    now = timezone.now()
    Rollin.objects.create(
        order=order,
        template=template,
        stage=stage,
        status=status,
        stage_entered_at=now,
        last_progress_at=now,
        live_at=now if status == Rollin.Status.LIVE else None,
    )
    return order
