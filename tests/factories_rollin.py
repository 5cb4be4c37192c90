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


PDF = b"%PDF-1.4\n% signed re-use agreement\n%%EOF\n"


def walk_to(order: Order, item_code: str, coordinator: Any) -> RollinItem:
    """Walk the order with the real services until `item_code` is the open manual item.

    Automatic items run through the in-process simulated Fachverfahren; people's items before
    it are completed by the order's staff or `coordinator`, as the item says.
    """
    from django.core.files.base import ContentFile

    from rollin.connectors import InProcessConnector
    from rollin.services import rollin_advance, rollin_item_complete

    rollin = Rollin.objects.get(order=order)
    for _step in range(20):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())
        item = open_manual_item(rollin)
        assert item is not None, f"{order.number} has no open manual item ({rollin.status})"
        if item.definition.code == item_code:
            return item
        actor = (
            coordinator
            if item.definition.actor == ItemDefinition.Actor.COORDINATOR
            else order.placed_by
        )
        document = (
            ContentFile(PDF, name="vertrag.pdf") if item.definition.requires_document else None
        )
        rollin_item_complete(item_id=item.pk, actor=actor, document=document)
    raise AssertionError(f"{order.number} never reached {item_code}")


def assert_clean_stage_walk(rollin: Rollin) -> list[str]:
    """The history is gap-free and its stages are the template's, in order, each entered once.

    Returns the stage codes entered so far. Checks: seq runs 1..n and matches last_seq; the
    first entry is "placed" at the template's first stage; every stage move leaves the stage
    the previous move entered and enters the template's next one (no stage skipped or doubled).
    """
    from rollin.models import HistoryEntry

    history = list(rollin.history.select_related("from_stage", "to_stage").order_by("seq"))
    assert [h.seq for h in history] == list(range(1, len(history) + 1))
    rollin.refresh_from_db()
    assert rollin.last_seq == len(history)
    assert history[0].action == HistoryEntry.Action.PLACED
    assert history[0].to_stage is not None
    entered = [history[0].to_stage.code]
    for entry in history[1:]:
        if entry.action == HistoryEntry.Action.ADVANCED:
            assert entry.from_stage.code == entered[-1], [h.action for h in history]
            entered.append(entry.to_stage.code)
    template_stages = list(
        rollin.template.stages.order_by("position").values_list("code", flat=True)
    )
    assert entered == template_stages[: len(entered)]
    assert entered[-1] == rollin.stage.code
    return entered
