"""Bulk actions go through the roll-in services and report what worked and what did not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboard import services
from dashboard.models import BulkJob
from dashboard.tasks import bulk_action
from rollin.models import HistoryEntry, Rollin, RollinItem
from tests import factories
from tests.dashboard.conftest import order_in, past

pytestmark = pytest.mark.django_db


def _post(client, **data):
    return client.post(reverse("dashboard:bulk_action"), data)


def test_bulk_hold_with_reason_appears_in_each_orders_history(client, world) -> None:
    orders = [order_in(world.kelheim, world.fuehrerschein, due_at=past(1))]
    orders += [order_in(world.regen, world.fuehrerschein, stage="vertrag") for _ in range(2)]
    client.force_login(world.coordinator)
    response = _post(
        client,
        action="hold",
        scope="selected",
        reason="Landkreis klärt die Finanzierung",
        order=[o.pk for o in orders],
    )
    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:bulk_job", args=[job.pk])
    assert (job.status, job.total, job.done, job.failed) == ("done", 3, 3, 0)
    for order in orders:
        entry = HistoryEntry.objects.filter(rollin__order=order).latest("seq")
        assert entry.action == HistoryEntry.Action.HELD
        assert entry.reason == "Landkreis klärt die Finanzierung"
        assert entry.actor == world.coordinator
        detail = client.get(reverse("dashboard:order_detail", args=[order.number]))
        assert "Landkreis klärt die Finanzierung" in detail.content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "3 von 3 Bestellungen erfolgreich, 0 nicht möglich" in page


def test_bulk_reports_which_orders_failed_and_why(client, world) -> None:
    ok = order_in(world.kelheim, world.meldung, stage="vertrag")
    held = order_in(world.kelheim, world.fuehrerschein, status="on_hold")
    live = order_in(world.regen, world.meldung, stage="wirkbetrieb")
    client.force_login(world.coordinator)
    response = _post(
        client, action="hold", scope="selected", reason="Pause", order=[ok.pk, held.pk, live.pk]
    )
    job = BulkJob.objects.get()
    assert (job.done, job.failed) == (1, 2)
    failed = {error["number"]: error["error"] for error in job.errors}
    assert set(failed) == {held.number, live.number}
    assert all("kann nicht zurückgestellt werden" in reason for reason in failed.values())
    page = client.get(response["Location"]).content.decode()
    assert "1 von 3 Bestellungen erfolgreich, 2 nicht möglich" in page
    assert held.number in page and live.number in page


def test_hold_needs_a_reason(client, world) -> None:
    order = order_in(world.kelheim, world.meldung)
    client.force_login(world.coordinator)
    response = _post(client, action="hold", scope="selected", reason=" ", order=[order.pk])
    assert response.status_code == 302
    assert not BulkJob.objects.exists()
    assert Rollin.objects.get(order=order).status == "waiting"


def test_bulk_on_all_filtered_orders_uses_the_filter_query(client, world) -> None:
    kelheim = [order_in(world.kelheim, world.fuehrerschein) for _ in range(2)]
    other = order_in(world.regen, world.fuehrerschein)
    client.force_login(world.coordinator)
    _post(client, action="assign_me", scope="all", query=f"district={world.kelheim.pk}")
    assert {r.order_id for r in Rollin.objects.filter(assignee=world.coordinator)} == {
        o.pk for o in kelheim
    }
    assert Rollin.objects.get(order=other).assignee is None


def test_assign_to_a_colleague_and_remind(client, world) -> None:
    colleague = factories.CoordinatorFactory(states=[world.bavaria])
    order = order_in(world.kelheim, world.meldung, stage="vertrag")
    client.force_login(world.coordinator)
    _post(client, action="assign", scope="selected", assignee=colleague.pk, order=[order.pk])
    assert Rollin.objects.get(order=order).assignee == colleague
    _post(client, action="remind", scope="selected", order=[order.pk])
    assert Rollin.objects.get(order=order).reminded_at is not None
    assert HistoryEntry.objects.filter(rollin__order=order, action="reminded").exists()


def test_countersign_only_where_the_contract_was_uploaded(client, world) -> None:
    signed = order_in(world.kelheim, world.meldung, stage="vertrag", contract_document=True)
    unsigned = order_in(world.regen, world.meldung, stage="vertrag")
    client.force_login(world.coordinator)
    _post(client, action="countersign", scope="selected", order=[signed.pk, unsigned.pk])
    job = BulkJob.objects.get()
    assert (job.done, job.failed) == (1, 1)
    assert job.errors == [
        {"number": unsigned.number, "error": "Es liegt noch kein unterschriebener Vertrag vor."}
    ]
    countersign = RollinItem.objects.get(rollin__order=signed, definition__code="gegenzeichnen")
    assert countersign.status == "done" and countersign.completed_by == world.coordinator


def test_large_selection_runs_as_a_task_with_progress(
    client, world, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr(services, "SYNC_LIMIT", 2)
    queued: list[int] = []
    monkeypatch.setattr(bulk_action, "delay", lambda job_id: queued.append(job_id))
    orders = [order_in(world.kelheim, world.meldung) for _ in range(3)]
    held = order_in(world.regen, world.meldung, status="on_hold")
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            action="hold",
            scope="selected",
            reason="Sammelpause",
            order=[o.pk for o in [*orders, held]],
        )
    job = BulkJob.objects.get()
    assert queued == [job.pk]
    assert (job.status, job.total, job.done, job.failed) == ("pending", 4, 0, 0)
    waiting = client.get(response["Location"]).content.decode()
    assert "0 von 4 Bestellungen bearbeitet" in waiting and "Aktualisieren" in waiting

    bulk_action(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 3, 1)
    assert job.errors[0]["number"] == held.number
    assert "3 von 4 Bestellungen erfolgreich" in client.get(response["Location"]).content.decode()

    bulk_action(job.pk)  # a second delivery changes nothing
    job.refresh_from_db()
    assert (job.done, job.failed) == (3, 1)
    assert HistoryEntry.objects.filter(action="held").count() == 3


def test_interrupted_task_continues_where_it_stopped(world) -> None:
    orders = [order_in(world.kelheim, world.meldung) for _ in range(3)]
    job = services.bulk_job_create(
        actor=world.coordinator,
        action="hold",
        order_ids=[o.pk for o in orders],
        params={"reason": "Teilweise"},
    )
    # As if the worker died after the first order: its hold and counter committed together.
    from rollin.services import rollin_hold

    first = min(orders, key=lambda o: o.pk)
    rollin_hold(rollin_id=first.rollin.pk, actor=world.coordinator, reason="Teilweise")
    BulkJob.objects.filter(pk=job.pk).update(done=1, status="running")
    bulk_action(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 3, 0)
    assert HistoryEntry.objects.filter(action="held").count() == 3


def test_someone_elses_job_is_not_found(client, world) -> None:
    job = services.bulk_job_create(actor=world.coordinator, action="remind", order_ids=[])
    other = factories.CoordinatorFactory(states=[world.bavaria])
    client.force_login(other)
    assert client.get(reverse("dashboard:bulk_job", args=[job.pk])).status_code == 404
