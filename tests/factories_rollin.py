"""Factories and helpers for roll-in tests: an order with its roll-in started for real."""

from __future__ import annotations

from typing import Any

from orders.models import Order
from rollin.models import ItemDefinition, Rollin, RollinItem
from rollin.services import rollin_start
from tests.factories import CoordinatorFactory
from tests.factories_orders import OrderFactory


def ensure_default_template() -> None:
    """Transactional tests flush the data migration's rows; re-create them with its function."""
    import importlib

    from django.apps import apps

    from rollin.models import StageTemplate

    if not StageTemplate.objects.filter(service__isnull=True).exists():
        importlib.import_module("rollin.migrations.0003_default_stage_template").create_default(
            apps, None
        )


def order_with_rollin(**kwargs: Any) -> Order:
    """An order whose roll-in was started through rollin_start (history "placed")."""
    ensure_default_template()
    order = OrderFactory(**kwargs)
    rollin_start(order=order)
    return order


def coordinator_for(order: Order) -> Any:
    return CoordinatorFactory(states=[order.authority.state])


def open_manual_item(rollin: Rollin) -> RollinItem | None:
    """The next manual item of the current stage that a person has to complete."""
    rollin.refresh_from_db()
    for item in (
        rollin.items.filter(stage=rollin.stage)
        .select_related("definition")
        .order_by("definition__position", "id")
    ):
        if item.status != RollinItem.Status.DONE:
            return item if item.definition.kind == ItemDefinition.Kind.MANUAL else None
    return None
