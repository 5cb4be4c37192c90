"""Two workers advancing the same order at once, with real PostgreSQL transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from rollin.connectors import ConnectorResult, InProcessConnector
from rollin.models import HistoryEntry, Rollin, RollinItem
from rollin.services import rollin_item_complete
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    assert_clean_stage_walk,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> None:
    from rollin import tasks

    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: None)


class BlockingConnector:
    """Holds its first call until told to go on, so the second worker runs meanwhile."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.in_call = threading.Event()
        self.release = threading.Event()
        self.inner = InProcessConnector()

    def run(self, *, item: RollinItem) -> ConnectorResult:
        self.calls.append(item.definition.code)
        if len(self.calls) == 1:
            self.in_call.set()
            assert self.release.wait(10)
        return self.inner.run(item=item)


def to_anbindung(order) -> None:
    coordinator = coordinator_for(order)
    for _ in range(10):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())
        item = open_manual_item(order.rollin)
        actor = coordinator if item.definition.actor == "coordinator" else order.placed_by
        from django.core.files.base import ContentFile

        doc = ContentFile(b"%PDF-1.4", name="v.pdf") if item.definition.requires_document else None
        rollin_item_complete(item_id=item.pk, actor=actor, document=doc)
        if item.definition.code == "ansprechpersonen":
            return
    raise AssertionError("never reached Kick-off")


def test_two_workers_on_one_order_advance_it_once(require_postgres) -> None:
    order = order_with_rollin()
    to_anbindung(order)
    connector = BlockingConnector()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            rollin_advance(order_id=order.pk, connector=connector)
        finally:
            connection.close()

    def second() -> None:
        try:
            assert connector.in_call.wait(10)
            results["second"] = rollin_advance(order_id=order.pk, connector=connector)
        finally:
            connector.release.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    rollin = Rollin.objects.get(order=order)
    assert rollin.stage.code == "test"
    assert rollin.status == Rollin.Status.WAITING
    # Every automatic item ran once, although two workers were on the order.
    assert connector.calls == [
        "zustellpunkt",
        "erreichbarkeit",
        "portal_registrieren",
        "testantrag_senden",
        "quittung_pruefen",
    ]
    advanced = list(
        rollin.history.filter(action=HistoryEntry.Action.ADVANCED).values_list(
            "to_stage__code", flat=True
        )
    )
    assert advanced == ["vertrag", "kickoff", "anbindung", "konfiguration", "test"]
    done = list(
        rollin.history.filter(action="item_done", actor__isnull=True).values_list(
            "item__definition__code", flat=True
        )
    )
    assert sorted(done) == sorted(connector.calls)
    assert assert_clean_stage_walk(rollin) == [
        "bestellt",
        "vertrag",
        "kickoff",
        "anbindung",
        "konfiguration",
        "test",
    ]


def test_two_workers_racing_on_a_stage_move_move_it_once(require_postgres) -> None:
    order = order_with_rollin()
    to_anbindung(order)
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait(10)
            rollin_advance(order_id=order.pk, connector=InProcessConnector())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    rollin = Rollin.objects.get(order=order)
    assert rollin.stage.code == "test"
    assert rollin.history.filter(action="advanced", to_stage__code="anbindung").count() == 1
    assert rollin.history.filter(action="advanced", to_stage__code="test").count() == 1
    for code in ("zustellpunkt", "erreichbarkeit", "testantrag_senden", "quittung_pruefen"):
        assert rollin.history.filter(action="item_done", item__definition__code=code).count() == 1
    assert assert_clean_stage_walk(rollin)[-1] == "test"
