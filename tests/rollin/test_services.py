"""Services against the database: hold/resume, cancel rules, retries, sweep, history."""

from __future__ import annotations

import datetime

import httpx
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.models import Notification
from rollin.connectors import ConnectorResult, HttpConnector, InProcessConnector
from rollin.models import ConnectorLog, HistoryEntry, Rollin, RollinItem
from rollin.services import (
    TransitionError,
    rollin_assign,
    rollin_cancel,
    rollin_hold,
    rollin_item_complete,
    rollin_item_reject,
    rollin_resume,
    rollin_start,
)
from rollin.worker import rollin_advance, rollin_sweep
from tests.factories_rollin import (
    assert_clean_stage_walk,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
    walk_to_stage,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test"


class FailingConnector:
    def __init__(self) -> None:
        self.calls = 0

    def run(self, *, item: RollinItem) -> ConnectorResult:
        self.calls += 1
        return ConnectorResult(ok=False, error="HTTP 503: down")


def to_anbindung(order, coordinator) -> Rollin:
    """Complete everything up to Kick-off without letting a connector run afterwards."""
    rollin = walk_to_stage(order, "kickoff", coordinator)
    item = open_manual_item(rollin)
    rollin_item_complete(item_id=item.pk, actor=order.placed_by)
    return rollin


def assert_gap_free(rollin: Rollin) -> None:
    assert_clean_stage_walk(rollin)


def test_start_is_idempotent_and_records_placed_once() -> None:
    order = order_with_rollin()
    again = rollin_start(order=order)
    assert again.pk == order.rollin.pk
    assert list(again.history.values_list("action", flat=True)) == ["placed"]
    assert again.items.filter(stage=again.stage).count() == 1
    assert again.due_at is not None and again.stage_entered_at is not None
    assert again.due_at > again.stage_entered_at


def test_start_copies_the_orders_state_and_service_for_the_order_list() -> None:
    rollin = order_with_rollin().rollin
    assert rollin.state_id == rollin.order.authority.state_id
    assert rollin.service_id == rollin.order.service_id


def test_due_date_counts_working_days_from_stage_entry() -> None:
    order = order_with_rollin()
    rollin = order.rollin
    due = timezone.localtime(rollin.due_at).date()
    start = timezone.localtime(rollin.stage_entered_at).date()
    days = [start + datetime.timedelta(d) for d in range(1, (due - start).days + 1)]
    assert sum(1 for d in days if d.weekday() < 5) == 5  # Bestellt: 5 working days
    assert due.weekday() < 5


def test_hold_and_resume_restore_the_status() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = order.rollin
    assert rollin.status == Rollin.Status.WAITING
    rollin_hold(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage zur Bestellung")
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.ON_HOLD
    rollin_advance(order_id=order.pk, connector=InProcessConnector())  # worker leaves it alone
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.ON_HOLD
    rollin_resume(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage geklärt")
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.WAITING
    assert rollin.hold_reason == ""
    assert list(rollin.history.values_list("action", flat=True)) == ["placed", "held", "resumed"]
    assert_gap_free(rollin)


def test_staff_cannot_cancel_after_the_contract_but_coordinator_can() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "kickoff", coordinator)
    with pytest.raises(TransitionError):
        rollin_cancel(rollin_id=rollin.pk, actor=order.placed_by, reason="zu spät")
    rollin_cancel(rollin_id=rollin.pk, actor=coordinator, reason="Behörde verzichtet")
    order.refresh_from_db()
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.CANCELLED
    assert order.cancelled_at is not None and order.cancelled_by == coordinator
    assert order.cancel_reason == "Behörde verzichtet"
    with pytest.raises(TransitionError):
        rollin_resume(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage geklärt")


def test_staff_cancel_before_contract_sets_the_order_fields() -> None:
    order = order_with_rollin()
    rollin_cancel(rollin_id=order.rollin.pk, actor=order.placed_by, reason="Doch nicht")
    order.refresh_from_db()
    assert order.cancelled_by == order.placed_by


def test_cancel_needs_a_reason() -> None:
    order = order_with_rollin()
    with pytest.raises(TransitionError):
        rollin_cancel(rollin_id=order.rollin.pk, actor=order.placed_by, reason="  ")


def test_rejected_contract_goes_back_to_staff_and_they_are_told_again() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "vertrag", coordinator)
    upload = open_manual_item(rollin)
    rollin_item_complete(
        item_id=upload.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    rollin_item_reject(item_id=upload.pk, actor=coordinator, reason="Unterschrift fehlt")
    rollin.refresh_from_db()
    upload.refresh_from_db()
    assert upload.status == RollinItem.Status.REJECTED
    assert rollin.status == Rollin.Status.WAITING
    assert open_manual_item(rollin).pk == upload.pk
    todo = Notification.objects.filter(
        user=order.placed_by, dedup_key__contains="vertrag_hochladen"
    )
    assert todo.count() == 2  # told when the stage opened and again after the rejection
    assert_gap_free(rollin)


def test_failed_automatic_item_backs_off_then_flags_failing_with_the_error(settings) -> None:
    settings.ROLLIN_MAX_ATTEMPTS = 3
    settings.ROLLIN_RETRY_BASE_SECONDS = 0
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    to_anbindung(order, coordinator)
    connector = FailingConnector()
    rollin = order.rollin
    for _ in range(5):
        rollin_advance(order_id=order.pk, connector=connector)
    rollin.refresh_from_db()
    assert connector.calls == 3
    assert rollin.status == Rollin.Status.FAILING
    assert "503" in rollin.last_error
    actions = list(rollin.history.values_list("action", flat=True))
    assert actions[-3:] == ["item_failed", "item_failed", "failing"]
    # The coordinator retries; the automatic items then succeed and the worker goes on.
    rollin_resume(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage geklärt")
    rollin_advance(order_id=order.pk, connector=InProcessConnector())
    rollin.refresh_from_db()
    assert rollin.stage.code == "test"
    assert rollin.status == Rollin.Status.WAITING
    assert_gap_free(rollin)


def test_backoff_waits_before_the_next_attempt(settings) -> None:
    settings.ROLLIN_RETRY_BASE_SECONDS = 60
    order = order_with_rollin()
    to_anbindung(order, coordinator_for(order))
    connector = FailingConnector()
    rollin_advance(order_id=order.pk, connector=connector)
    rollin_advance(order_id=order.pk, connector=connector)
    assert connector.calls == 1
    rollin = Rollin.objects.get(order=order)
    assert rollin.next_attempt_at is not None
    wait = (rollin.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 90  # 60 s · jitter 0.5–1.5


def test_advancing_twice_changes_nothing_the_second_time() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "test", coordinator)
    before = rollin.history.count()
    logs = ConnectorLog.objects.count()
    rollin_advance(order_id=order.pk, connector=InProcessConnector())
    assert rollin.history.count() == before
    assert ConnectorLog.objects.count() == logs


def test_sweep_flags_overdue_once_and_reminds() -> None:
    order = order_with_rollin()
    rollin = order.rollin
    assert rollin.due_at is not None
    later = rollin.due_at + datetime.timedelta(days=1)
    rollin_sweep(now=later)
    rollin_sweep(now=later)
    actions = list(rollin.history.values_list("action", flat=True))
    assert actions.count("overdue") == 1
    assert actions.count("reminded") == 1
    assert_gap_free(rollin)


def test_sweep_reenqueues_expired_claims(monkeypatch) -> None:
    from rollin import tasks

    enqueued: list[int] = []
    monkeypatch.setattr(tasks.advance, "delay", enqueued.append)
    order = order_with_rollin()
    Rollin.objects.filter(pk=order.rollin.pk).update(
        status=Rollin.Status.IN_PROGRESS,
        waiting_on="",
        claim_token="dead",
        claimed_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert rollin_sweep()["enqueued"] == 1
    assert enqueued == [order.pk]


def test_assign_only_to_coordinators_of_the_state() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin_assign(rollin_id=order.rollin.pk, actor=coordinator, assignee=coordinator)
    with pytest.raises(TransitionError):
        rollin_assign(rollin_id=order.rollin.pk, actor=coordinator, assignee=order.placed_by)
    order.rollin.refresh_from_db()
    assert order.rollin.assignee == coordinator


def test_http_connector_logs_requests_and_errors() -> None:
    order = order_with_rollin()
    to_anbindung(order, coordinator_for(order))
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.headers["Idempotency-Key"]))
        if request.url.path.endswith("/probe"):
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json={"ok": True})

    connector = HttpConnector("http://fv.example/x", transport=httpx.MockTransport(handler))
    rollin_advance(order_id=order.pk, connector=connector)
    assert seen[0][:2] == ("POST", "/x/configure")
    assert seen[0][2].endswith(":anbindung:zustellpunkt")
    assert seen[1][:2] == ("GET", "/x/probe")
    failed = ConnectorLog.objects.get(action="probe")
    assert failed.response_status == 503 and "503" in failed.error
    assert HistoryEntry.objects.filter(action="item_failed").count() == 1


def test_notifications_are_not_repeated_when_the_worker_runs_again() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    walk_to_stage(order, "test", coordinator)
    count = Notification.objects.count()
    rollin_advance(order_id=order.pk, connector=InProcessConnector())
    assert Notification.objects.count() == count
