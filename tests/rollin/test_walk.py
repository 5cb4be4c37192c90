"""An order walks from Bestellt to Wirkbetrieb: people complete their items, the worker the rest."""

from __future__ import annotations

import pytest

from rollin.connectors import InProcessConnector
from rollin.models import HistoryEntry, Rollin
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    assert_clean_stage_walk,
    assert_continuous_history,
    complete_as_its_person,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


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
        done.append(complete_as_its_person(order, open_manual_item(order.rollin), coordinator))
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
