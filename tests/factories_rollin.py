"""Factories for the roll-in: one per model, and orders with a roll-in started for real.

`RollinFactory(at="vertrag", status=...)` writes the rows rollin.services would have written
(the stage's items, a "placed" entry) without walking there; `order_with_rollin()` starts the
roll-in through rollin_start, for tests of the walk itself.
"""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from orders.models import Order
from rollin import transitions
from rollin.figures import figures_add
from rollin.models import (
    HistoryEntry,
    ItemDefinition,
    Rollin,
    RollinItem,
    StageDefinition,
    StageTemplate,
)
from rollin.pipeline import next_open_item
from rollin.services import rollin_start
from rollin.waiting import waiting_on_for
from tests.factories import CoordinatorFactory, ModelFactory
from tests.factories_documents import pdf_document
from tests.factories_orders import OrderFactory

Status = Rollin.Status
PDF = pdf_document("signed re-use agreement")


def default_template() -> StageTemplate:
    """The default template of rollin's data migrations; transactional tests flush it, so it is
    re-created (flags included) with those migrations' own functions."""
    import importlib

    from django.apps import apps

    template = StageTemplate.objects.filter(service__isnull=True).first()
    if template is None:
        importlib.import_module("rollin.migrations.0003_default_stage_template").create_default(
            apps, None
        )
        importlib.import_module(
            "rollin.migrations.0006_transition_constraints_and_roles"
        ).flag_default_template(apps, None)
        importlib.import_module("rollin.migrations.0009_training_item_role").flag_training_item(
            apps, None
        )
        template = StageTemplate.objects.get(service__isnull=True)
    return template


class StageTemplateFactory(ModelFactory[StageTemplate]):
    class Meta:
        model = StageTemplate

    name = factory.Sequence(lambda n: f"Vorlage {n}")
    service = None


class StageDefinitionFactory(ModelFactory[StageDefinition]):
    class Meta:
        model = StageDefinition

    template = factory.SubFactory(StageTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"stufe{n}")
    label = factory.LazyAttribute(lambda o: o.code.title())
    due_working_days = 10

    class Params:
        live = factory.Trait(is_live=True, due_working_days=0)


class ItemDefinitionFactory(ModelFactory[ItemDefinition]):
    class Meta:
        model = ItemDefinition

    stage = factory.SubFactory(StageDefinitionFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"punkt{n}")
    label = factory.LazyAttribute(lambda o: o.code.title())
    kind = ItemDefinition.Kind.MANUAL
    actor = ItemDefinition.Actor.STAFF

    class Params:
        automatic = factory.Trait(
            kind=ItemDefinition.Kind.AUTOMATIC,
            actor=ItemDefinition.Actor.WORKER,
            connector_action=ItemDefinition.ConnectorAction.PROBE,
        )


def _stage(rollin: Any) -> StageDefinition:
    return rollin.template.stages.get(code=rollin.at)


def _derived(rollin: Any) -> str:
    """The status the services would have derived on entering the stage (no item done)."""
    first = rollin.stage.items.order_by("position", "id").first()
    return transitions.derived_status(rollin.stage, first)


class RollinFactory(ModelFactory[Rollin]):
    """A roll-in at stage `at` (a code of its template) in `status` (derived if not given),
    with the stage's items open and its "placed" entry."""

    class Meta:
        model = Rollin
        skip_postgeneration_save = True

    class Params:
        at = "bestellt"
        live = factory.Trait(at="wirkbetrieb")
        on_hold = factory.Trait(status=Status.ON_HOLD)
        failing = factory.Trait(status=Status.FAILING)
        cancelled = factory.Trait(
            status=Status.CANCELLED, order__cancelled_at=factory.LazyFunction(timezone.now)
        )

    # No password: hashing one per order would dominate tests that create dozens.
    order = factory.SubFactory(OrderFactory, placed_by__password=None)
    state = factory.SelfAttribute("order.authority.state")
    service = factory.SelfAttribute("order.service")
    template = factory.LazyFunction(default_template)
    stage = factory.LazyAttribute(_stage)
    stage_position = factory.SelfAttribute("stage.position")
    assignee = None
    assignee_last_name = factory.LazyAttribute(
        lambda o: o.assignee.last_name if o.assignee is not None else None
    )
    status = factory.LazyAttribute(_derived)
    status_before_hold = factory.LazyAttribute(
        lambda o: Status.WAITING if o.status == Status.ON_HOLD else ""
    )
    stage_entered_at = factory.LazyFunction(timezone.now)
    last_progress_at = factory.SelfAttribute("stage_entered_at")
    live_at = factory.LazyAttribute(
        lambda o: o.stage_entered_at if o.status == Status.LIVE else None
    )
    last_seq = 1

    @factory.post_generation
    def items(rollin: Rollin, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The stage's items, open; `items=False` for none (tests that read only the status)."""
        if not create or extracted is False:
            return
        for definition in rollin.stage.items.order_by("position", "id"):
            RollinItemFactory(rollin=rollin, definition=definition)

    @factory.post_generation
    def placed(rollin: Rollin, create: bool, extracted: Any, **kwargs: Any) -> None:
        """The "placed" entry; `placed=<datetime>` dates it and the order in the past."""
        if not create:
            return
        if extracted is not None:
            Order.objects.filter(pk=rollin.order_id).update(created_at=extracted)
            rollin.order.created_at = extracted
        HistoryEntryFactory(
            rollin=rollin,
            to_stage=rollin.stage,
            to_status=rollin.status,
            created_at=extracted or rollin.stage_entered_at,
        )

    @factory.post_generation
    def contract_uploaded(rollin: Rollin, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`contract_uploaded=True`: the authority's signed contract is in (stage Vertrag)."""
        if create and extracted:
            item = rollin.items.get(definition__role=ItemDefinition.Role.CONTRACT_UPLOAD)
            item.status = RollinItem.Status.DONE
            item.completed_at = timezone.now()
            item.document.save("vertrag.pdf", ContentFile(PDF), save=True)

    @factory.post_generation
    def figures(rollin: Rollin, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Whose turn it is and the maintained figures, as the transitions would have set them
        (after `placed` dated the order and `contract_uploaded` did the first item)."""
        if create:
            waits = rollin.status == Status.WAITING
            rollin.waiting_on = waiting_on_for(
                rollin.status, (waits and next_open_item(rollin)) or None
            )
            Rollin.objects.filter(pk=rollin.pk).update(waiting_on=rollin.waiting_on)
            figures_add(rollin)


class RollinItemFactory(ModelFactory[RollinItem]):
    class Meta:
        model = RollinItem

    rollin = factory.SubFactory(RollinFactory)
    definition = factory.LazyAttribute(lambda o: o.rollin.stage.items.first())
    stage = factory.SelfAttribute("definition.stage")


class HistoryEntryFactory(ModelFactory[HistoryEntry]):
    """Seq 1 "placed" unless told otherwise; later entries pass seq and action."""

    class Meta:
        model = HistoryEntry

    rollin = factory.SubFactory(RollinFactory)
    seq = 1
    action = HistoryEntry.Action.PLACED
    actor = factory.LazyAttribute(
        lambda o: o.rollin.order.placed_by if o.action == HistoryEntry.Action.PLACED else None
    )
    created_at = factory.LazyFunction(timezone.now)


def rollin_at(at: str = "bestellt", **kwargs: Any) -> Order:
    """The order of a `RollinFactory(at=...)` roll-in, for tests that start from the order."""
    return RollinFactory(at=at, **kwargs).order


def order_with_rollin(**kwargs: Any) -> Order:
    """An order whose roll-in was started through rollin_start (history "placed")."""
    default_template()
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


def walk_to(order: Order, item_code: str, coordinator: Any) -> RollinItem:
    """Walk the order with the real services until `item_code` is the open manual item.

    Automatic items run through the in-process simulated Fachverfahren; people's items before
    it are completed by the order's staff or `coordinator`, as the item says.
    """
    from rollin.connectors import InProcessConnector
    from rollin.worker import rollin_advance

    rollin = Rollin.objects.get(order=order)
    for _step in range(20):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())
        item = open_manual_item(rollin)
        assert item is not None, f"{order.number} has no open manual item ({rollin.status})"
        if item.definition.code == item_code:
            return item
        complete_as_its_person(order, item, coordinator)
    raise AssertionError(f"{order.number} never reached {item_code}")


def walk_to_stage(order: Order, stage_code: str, coordinator: Any) -> Rollin:
    """Walk the order with the real services until its roll-in has entered `stage_code`."""
    from rollin.connectors import InProcessConnector
    from rollin.worker import rollin_advance

    rollin = Rollin.objects.get(order=order)
    for _step in range(20):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())
        rollin.refresh_from_db()
        if rollin.stage.code == stage_code:
            return rollin
        item = open_manual_item(rollin)
        assert item is not None, f"{order.number} has no open manual item ({rollin.status})"
        complete_as_its_person(order, item, coordinator)
    raise AssertionError(f"{order.number} never reached stage {stage_code}")


def complete_as_its_person(order: Order, item: RollinItem | None, coordinator: Any) -> str:
    """Complete `item` as the person it names: the order's staff or `coordinator`.

    Items that need a document get a small PDF. Returns the item's code. `item` may come
    straight from open_manual_item; None (nothing open for a person) fails the test.
    """
    from rollin.services import rollin_item_complete

    assert item is not None, f"{order.number} has no item open for a person"
    actor = (
        coordinator
        if item.definition.actor == ItemDefinition.Actor.COORDINATOR
        else order.placed_by
    )
    document = ContentFile(PDF, name="vertrag.pdf") if item.definition.requires_document else None
    rollin_item_complete(item_id=item.pk, actor=actor, document=document)
    return item.definition.code


def kickoff_done(order: Order, coordinator: Any) -> None:
    """The order at the end of Kick-off, its people's items done: the worker's turn next
    (Anbindung's automatic items)."""
    complete_as_its_person(order, walk_to(order, "ansprechpersonen", coordinator), coordinator)


def order_at_anbindung() -> Order:
    """A new order at the end of Kick-off (kickoff_done): its next items are Anbindung's
    automatic ones, the worker's."""
    order = order_with_rollin()
    kickoff_done(order, coordinator_for(order))
    return order


def assert_clean_stage_walk(rollin: Rollin) -> list[str]:
    """The history is gap-free and its stages are the template's, in order, each entered once.

    Returns the stage codes entered so far. Checks: seq runs 1..n and matches last_seq; the
    first entry is "placed" at the template's first stage; every stage move leaves the stage
    the previous move entered and enters the template's next one (no stage skipped or doubled).
    """
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


def assert_continuous_history(rollin: Rollin) -> None:
    """Every status or stage change left an entry: each entry starts where the previous ended."""
    history = list(rollin.history.order_by("seq"))
    for previous, entry in itertools.pairwise(history):
        assert (entry.from_status, entry.from_stage_id) == (
            previous.to_status,
            previous.to_stage_id,
        ), (previous.seq, previous.action, entry.seq, entry.action)
    rollin.refresh_from_db()
    assert (history[-1].to_status, history[-1].to_stage_id) == (rollin.status, rollin.stage_id)
