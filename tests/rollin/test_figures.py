"""The maintained figures: kept by the transition function, rebuilt by rebuild_figures, and
not lost when two transactions change the same state × service at once (PostgreSQL)."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from rollin.figures import figures_maintained, figures_recomputed
from rollin.models import Rollin, StatusFigure, WeekFigure
from rollin.services import rollin_hold
from tests.factories_rollin import coordinator_for, order_with_rollin


def _state_ids(*orders: Any) -> list[int]:
    return sorted({o.authority.state_id for o in orders})


@pytest.mark.django_db
def test_placing_and_holding_change_the_figures_in_the_same_transaction() -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.get(order=order)
    key = {"state_id": order.authority.state_id, "service_id": order.service_id}
    figure = StatusFigure.objects.get(**key, stage=rollin.stage, status=rollin.status)
    assert figure.orders == 1

    rollin_hold(rollin_id=rollin.pk, actor=coordinator_for(order), reason="Rückfrage")

    figure.refresh_from_db()
    assert figure.orders == 0
    assert StatusFigure.objects.get(**key, status=Rollin.Status.ON_HOLD).orders == 1
    assert figures_maintained(_state_ids(order)) == figures_recomputed(_state_ids(order))


@pytest.mark.django_db
def test_rebuild_figures_repairs_and_a_second_run_changes_nothing() -> None:
    orders = [order_with_rollin() for _ in range(3)]
    states = _state_ids(*orders)
    StatusFigure.objects.update(orders=7)  # damaged (e.g. rows written around the transitions)
    WeekFigure.objects.all().delete()
    assert figures_maintained(states) != figures_recomputed(states)

    out = io.StringIO()
    call_command("rebuild_figures", stdout=out)
    first = figures_maintained(states)
    call_command("rebuild_figures", stdout=out)

    assert first == figures_recomputed(states)
    assert figures_maintained(states) == first
    assert "] 1/1" in out.getvalue()  # the progress bar reached its end


@pytest.mark.django_db
def test_rebuild_figures_repairs_the_roll_ins_copies_of_state_and_service() -> None:
    order, other = order_with_rollin(), order_with_rollin()
    # Damaged as a row written around rollin_start could be: another order's service.
    Rollin.objects.filter(order=order).update(service_id=other.service_id)

    call_command("rebuild_figures", stdout=io.StringIO())

    rollin = Rollin.objects.get(order=order)
    assert (rollin.state_id, rollin.service_id) == (order.authority.state_id, order.service_id)
    assert Rollin.objects.get(order=other).service_id == other.service_id


@pytest.mark.django_db
def test_the_overview_shows_a_change_at_once(client) -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    client.force_login(coordinator)
    before = client.get(reverse("dashboard:overview")).context["overview"].totals

    rollin_hold(rollin_id=order.rollin.pk, actor=coordinator, reason="Rückfrage")

    after = client.get(reverse("dashboard:overview")).context["overview"].totals
    assert after["on_hold"] == before["on_hold"] + 1
    assert after["ordered"] == before["ordered"] == 1


def _backend_waits_for_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_holds_on_one_state_and_service_lose_no_update(
    require_postgres: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rollin import tasks

    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: None)
    first_order = order_with_rollin()
    second_order = order_with_rollin(
        service=first_order.service, authority__district=first_order.authority.district
    )
    coordinator = coordinator_for(first_order)
    first_written, release_first = threading.Event(), threading.Event()
    second_pid: list[int] = []
    errors: list[BaseException] = []

    def hold(order: Any, *, keep_open: bool) -> None:
        try:
            with transaction.atomic():
                if not keep_open:
                    second_pid.append(connection.connection.info.backend_pid)
                rollin_hold(rollin_id=order.rollin.pk, actor=coordinator, reason="Prüfung")
                if keep_open:  # commit only once the other transaction waits on our rows
                    first_written.set()
                    assert release_first.wait(20)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=hold, args=(first_order,), kwargs={"keep_open": True})
    second = threading.Thread(target=hold, args=(second_order,), kwargs={"keep_open": False})
    first.start()
    assert first_written.wait(20)
    second.start()
    waited = False
    for _ in range(2000):  # poll the condition, not the clock: the second upsert is blocked
        if second_pid and _backend_waits_for_a_lock(second_pid[0]):
            waited = True
            break
        if not second.is_alive():
            break
        threading.Event().wait(0.01)
    release_first.set()
    first.join(30)
    second.join(30)

    assert not errors
    assert waited  # the two transactions really overlapped on the same figure rows
    held = StatusFigure.objects.get(
        state_id=first_order.authority.state_id,
        service_id=first_order.service_id,
        status=Rollin.Status.ON_HOLD,
    )
    assert held.orders == 2
    states = _state_ids(first_order)
    assert figures_maintained(states) == figures_recomputed(states)
