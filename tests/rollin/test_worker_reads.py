"""What a worker step reads: the items once per walk, and again only when they may have
changed.

The record step trusts the items its claim read when no transition happened in between
(the history's `last_seq` is unchanged): items change only in transitions. A person's
transition during the connector call makes it read them again. A stage entered is not read
back: its items come from their insert (stage_items_create), unless the roll-in had some of
them already.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from rollin.connectors import ConnectorResult, InProcessConnector
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem, StageDefinition
from rollin.pipeline import current_items, stage_items_create
from rollin.services import rollin_hold, rollin_resume
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    assert_clean_stage_walk,
    assert_continuous_history,
    coordinator_for,
    kickoff_done,
    order_with_rollin,
)

pytestmark = pytest.mark.django_db


# How current_items asks for one roll-in's items of a stage; the e-mail's whose-turn look at
# the end asks for several roll-ins' open items ("rollin_id" IN …) and is not counted.
STAGE_ITEMS = 'WHERE ("rollin_rollinitem"."rollin_id" = '


def _item_reads(captured: CaptureQueriesContext) -> int:
    return sum(1 for q in captured.captured_queries if STAGE_ITEMS in q["sql"])


class HoldDuringFirstCall(InProcessConnector):
    """A coordinator holds and resumes the order while the worker's first call is out."""

    def __init__(self, coordinator: Any) -> None:
        super().__init__()
        self.coordinator = coordinator
        self.calls = 0

    def run(self, *, item: RollinItem) -> ConnectorResult:
        self.calls += 1
        if self.calls == 1:
            rollin_id = item.rollin.pk
            rollin_hold(rollin_id=rollin_id, actor=self.coordinator, reason="Rückfrage")
            rollin_resume(rollin_id=rollin_id, actor=self.coordinator, reason="geklärt")
        return super().run(item=item)


def _walk(order: Any, connector: InProcessConnector) -> tuple[Rollin, int]:
    with CaptureQueriesContext(connection) as captured:
        rollin = rollin_advance(order_id=order.pk, connector=connector)
    assert rollin is not None
    return rollin, _item_reads(captured)


def _kickoff_done(order: Any, coordinator: Any) -> int:
    """The order at the end of Kick-off, its people's items done: the worker's turn next.
    Returns the last history entry's seq."""
    kickoff_done(order, coordinator)
    return Rollin.objects.get(order=order).last_seq


def _moves(rollin: Rollin, since_seq: int) -> int:
    return rollin.history.filter(seq__gt=since_seq, action=HistoryEntry.Action.ADVANCED).count()


def test_the_record_steps_trust_the_items_their_claim_read() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    seq = _kickoff_done(order, coordinator)

    rollin, reads = _walk(order, InProcessConnector())

    assert rollin.stage.code == "test" and rollin.status == Rollin.Status.WAITING
    # One read at the first claim; none for the stages entered, none in the record steps.
    assert _moves(rollin, seq) == 3
    assert reads == 1
    assert_clean_stage_walk(rollin)
    assert_continuous_history(rollin)


def test_a_transition_during_the_call_makes_the_record_step_read_them_again() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    seq = _kickoff_done(order, coordinator)
    connector = HoldDuringFirstCall(coordinator)

    rollin, reads = _walk(order, connector)

    assert connector.calls == 5  # the hold and resume in between cost no step
    assert rollin.stage.code == "test" and rollin.status == Rollin.Status.WAITING
    assert _moves(rollin, seq) == 3
    assert reads == 1 + 1  # the first record step read them again
    actions = list(rollin.history.filter(seq__gt=seq).values_list("action", flat=True))
    assert actions[:4] == [
        HistoryEntry.Action.ADVANCED,  # into Anbindung, at the first claim
        HistoryEntry.Action.HELD,
        HistoryEntry.Action.RESUMED,
        HistoryEntry.Action.ITEM_DONE,
    ]
    assert_clean_stage_walk(rollin)
    assert_continuous_history(rollin)


def test_stage_items_take_their_definitions_from_a_prefetched_stage() -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.select_related("stage").get(order=order)
    expected = list(current_items(rollin))
    prefetch_related_objects([rollin.stage], "items")
    with CaptureQueriesContext(connection) as captured:
        items = current_items(rollin)
    (query,) = captured.captured_queries
    assert "rollin_itemdefinition" not in query["sql"]
    assert [(i.pk, i.definition.code) for i in items] == [
        (i.pk, i.definition.code) for i in expected
    ]


def test_a_definition_added_since_the_prefetch_is_read_with_its_item() -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.select_related("stage").get(order=order)
    prefetch_related_objects([rollin.stage], "items")
    added = ItemDefinition.objects.create(
        stage=rollin.stage,
        position=99,
        code="nachgereicht",
        label="Nachgereicht",
        kind=ItemDefinition.Kind.MANUAL,
        actor=ItemDefinition.Actor.COORDINATOR,
    )
    RollinItem.objects.create(rollin=rollin, definition=added, stage=rollin.stage)
    items = current_items(rollin)
    assert items[-1].definition == added
    assert items[-1].definition.code == "nachgereicht"


def _with_a_later_stage() -> tuple[Rollin, StageDefinition]:
    """A new order's roll-in and a stage after its current one, not entered yet."""
    rollin = Rollin.objects.select_related("template", "stage").get(order=order_with_rollin())
    later = rollin.template.stages.filter(position__gt=rollin.stage.position).first()
    assert later is not None
    return rollin, later


def test_the_items_of_a_stage_are_found_through_one_index(require_postgres) -> None:
    # With an index per column PostgreSQL could combine the stage's (every order at that
    # stage) with the roll-in's; the pair's own index reads the roll-in's rows only.
    rollin = Rollin.objects.select_related("stage").get(order=order_with_rollin())
    prefetch_related_objects([rollin.stage], "items")  # as the worker's walk has them
    with CaptureQueriesContext(connection) as captured:
        current_items(rollin)
    (query,) = captured.captured_queries
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan TO off")  # a test table is tiny
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "rollin_item_at_stage" in plan
    assert "BitmapAnd" not in plan


def test_a_stage_entered_the_first_time_hands_back_its_items_as_saved() -> None:
    rollin, later = _with_a_later_stage()
    assert later.items.count() > 1
    created = stage_items_create(rollin, later)
    assert created is not None
    assert [(i.pk, i.definition_id, i.status) for i in created] == [
        (i.pk, i.definition_id, i.status) for i in current_items(rollin, later)
    ]
    assert all(not i._state.adding for i in created)


def test_a_stage_entered_again_keeps_its_items_and_asks_for_a_read() -> None:
    # A template edit can move a stage behind a roll-in that passed it: its items stay.
    rollin, later = _with_a_later_stage()
    first = stage_items_create(rollin, later)
    assert first is not None
    first[0].status = RollinItem.Status.DONE
    first[0].save(update_fields=["status"])
    before = RollinItem.objects.filter(rollin=rollin).count()

    assert stage_items_create(rollin, later) is None
    assert RollinItem.objects.filter(rollin=rollin).count() == before
    assert current_items(rollin, later)[0].status == RollinItem.Status.DONE


def test_a_stage_with_one_item_entered_again_asks_for_a_read_too() -> None:
    # A single row's answer is read differently from several rows' (Django's insert).
    rollin, later = _with_a_later_stage()
    keep = later.items.order_by("position").first()
    later.items.exclude(pk=keep.pk).delete()
    later = StageDefinition.objects.get(pk=later.pk)  # without the deleted definitions cached
    created = stage_items_create(rollin, later)
    assert created is not None and len(created) == 1
    assert stage_items_create(rollin, later) is None
    assert RollinItem.objects.filter(rollin=rollin, stage=later).count() == 1
