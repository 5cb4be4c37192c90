"""An order walks from Bestellt to Wirkbetrieb: people complete their items, the worker the rest."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from rollin.connectors import InProcessConnector
from rollin.models import HistoryEntry, ItemDefinition, Rollin
from rollin.services import rollin_advance, rollin_item_complete
from tests.factories_rollin import (
    assert_clean_stage_walk,
    assert_continuous_history,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


def complete_next(order, coordinator) -> str:
    item = open_manual_item(order.rollin)
    assert item is not None
    actor = (
        coordinator
        if item.definition.actor == ItemDefinition.Actor.COORDINATOR
        else order.placed_by
    )
    document = ContentFile(PDF, name="vertrag.pdf") if item.definition.requires_document else None
    rollin_item_complete(item_id=item.pk, actor=actor, document=document)
    return item.definition.code


def test_order_walks_to_live_with_people_completing_their_items(
    django_capture_on_commit_callbacks,
) -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    connector = InProcessConnector()
    rollin = order.rollin
    assert rollin.stage.code == "bestellt"
    assert rollin.status == Rollin.Status.WAITING
    done = []
    stages_seen = ["bestellt"]
    for _ in range(20):
        rollin_advance(order_id=order.pk, connector=connector)
        rollin.refresh_from_db()
        if stages_seen[-1] != rollin.stage.code:
            stages_seen.append(rollin.stage.code)
        if rollin.status == Rollin.Status.LIVE:
            break
        done.append(complete_next(order, coordinator))
    assert rollin.status == Rollin.Status.LIVE
    assert rollin.live_at is not None
    assert done == [
        "freigabe",
        "vertrag_hochladen",
        "gegenzeichnen",
        "ansprechpersonen",
        "eingang_bestaetigen",
        "schulung_bestaetigen",
        "wirkbetrieb_freigeben",
    ]
    advanced = list(
        rollin.history.filter(action=HistoryEntry.Action.ADVANCED).values_list(
            "to_stage__code", flat=True
        )
    )
    assert advanced == [
        "vertrag",
        "kickoff",
        "anbindung",
        "konfiguration",
        "test",
        "schulung",
        "wirkbetrieb",
    ]
    assert assert_clean_stage_walk(rollin) == ["bestellt", *advanced]
    assert_continuous_history(rollin)
