"""Every connector call leaves one ConnectorLog row, saved with the step's record.

The connector describes its call (an unsaved row in its result); the worker saves it in the
transaction that records the result, so a call costs no commit of its own. The row is saved
whether or not the record is taken (a claim lost meanwhile), and rolls back with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.durability import SET_LOCAL
from rollin import worker
from rollin.connectors import ConnectorResult, InProcessConnector
from rollin.models import ConnectorLog, Rollin, RollinItem
from rollin.worker import rollin_advance
from tests.factories_rollin import order_at_anbindung

pytestmark = pytest.mark.django_db

INSERT_LOG = 'INSERT INTO "rollin_connectorlog"'


def test_the_connector_only_describes_its_call() -> None:
    order = order_at_anbindung()
    rollin_advance(order_id=order.pk, connector=InProcessConnector())
    ConnectorLog.objects.all().delete()
    item = (
        RollinItem.objects.select_related("definition", "stage", "rollin__order__authority")
        .filter(rollin__order=order, definition__connector_action="configure")
        .first()
    )
    assert item is not None

    result = InProcessConnector().run(item=item)  # the same call once more

    assert ConnectorLog.objects.count() == 0
    assert result.ok and result.log is not None and result.log.pk is None
    assert (result.log.item, result.log.action) == (item, "configure")
    assert result.log.request_body["order"] == order.number


def test_a_walk_saves_one_row_per_call_in_the_order_of_the_calls() -> None:
    order = order_at_anbindung()

    rollin_advance(order_id=order.pk, connector=InProcessConnector())

    logs = ConnectorLog.objects.filter(item__rollin__order=order).order_by("id")
    assert [log.action for log in logs] == [
        "configure",
        "probe",
        "configure",
        "send_test",
        "check_ack",
    ]
    assert all(200 <= (log.response_status or 0) < 300 and not log.error for log in logs)


def test_a_call_whose_claim_was_lost_is_logged_and_not_recorded() -> None:
    order = order_at_anbindung()

    class ClaimTakenDuringCall(InProcessConnector):
        def run(self, *, item: RollinItem) -> ConnectorResult:
            # Another worker took the order over while this call was out.
            Rollin.objects.filter(pk=item.rollin.pk).update(claim_token="someone-else")
            return super().run(item=item)

    rollin_advance(order_id=order.pk, connector=ClaimTakenDuringCall())

    (log,) = ConnectorLog.objects.filter(item__rollin__order=order)
    assert log.action == "configure"
    assert log.item.status == RollinItem.Status.OPEN  # theirs counts, not ours


def test_the_row_rolls_back_with_a_failed_record(monkeypatch) -> None:
    order = order_at_anbindung()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(worker, "_record_step", broken)
    with pytest.raises(RuntimeError):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())

    # The call repeats with the same idempotency key and is logged then.
    assert ConnectorLog.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_no_call_commits_on_its_own(require_postgres) -> None:
    order = order_at_anbindung()

    with CaptureQueriesContext(connection) as captured:
        rollin_advance(order_id=order.pk, connector=InProcessConnector())

    sql = [q["sql"] for q in captured.captured_queries]
    inserts = [i for i, s in enumerate(sql) if s.startswith(INSERT_LOG)]
    assert len(inserts) == 5
    for i in inserts:
        opened = max(j for j in range(i) if sql[j] == "BEGIN")
        assert "COMMIT" not in sql[opened:i]  # inside the record's transaction …
        assert SET_LOCAL in sql[opened + 1]  # … the worker's own (its lock carries the setting)
    assert transaction.get_autocommit()
