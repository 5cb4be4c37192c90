"""The roll-in worker as a real Celery worker against Redis and the PostgreSQL test database.

The connector speaks real HTTP to the simulated Fachverfahren served by the live test server.
Beat is stood in for by calling rollin_sweep() between polls, as beat would every minute.
"""

from __future__ import annotations

import pytest

from digitalmarkt.celery import app as celery_app
from rollin.models import Rollin, SimulatorProfile
from rollin.worker import rollin_sweep
from tests.factories_rollin import (
    assert_clean_stage_walk,
    assert_continuous_history,
    complete_as_its_person,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)
from tests.rollin import worker_harness
from tests.rollin.worker_harness import kill_worker, start_worker, wait_until

# The harness's fixtures, for this module's tests.
worker_env = worker_harness.worker_env
workers = worker_harness.workers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

STAGES = [
    "bestellt",
    "vertrag",
    "kickoff",
    "anbindung",
    "konfiguration",
    "test",
    "schulung",
    "wirkbetrieb",
]
AUTOMATIC = [
    "zustellpunkt",
    "erreichbarkeit",
    "portal_registrieren",
    "testantrag_senden",
    "quittung_pruefen",
]
PDF = b"%PDF-1.4 signed"


def complete_manual_items_until(
    order, coordinator, *, stop_before: str | None = None, stop_after: str | None = None, tick=None
) -> None:
    """Act as the people: complete each manual item as soon as the worker hands it over."""
    rollin = Rollin.objects.get(order=order)
    while True:
        wait_until(
            lambda: _person_turn(rollin),
            timeout=60,
            tick=tick,
            what=f"a manual item or live for {order.number}",
        )
        if rollin.status == Rollin.Status.LIVE:
            return
        item = open_manual_item(rollin)
        if stop_before is not None and item.definition.code == stop_before:
            return
        complete_as_its_person(order, item, coordinator)
        if item.definition.code == stop_after:
            return


def _person_turn(rollin: Rollin) -> bool:
    rollin.refresh_from_db()
    return rollin.status in (Rollin.Status.LIVE, Rollin.Status.WAITING) and (
        rollin.status == Rollin.Status.LIVE or open_manual_item(rollin) is not None
    )


def assert_clean_history(rollin: Rollin) -> None:
    """Gap-free seq, every stage entered once and in order, every automatic item done once."""
    assert assert_clean_stage_walk(rollin) == STAGES
    assert_continuous_history(rollin)
    history = rollin.history.select_related("item__definition").order_by("seq")
    done = [
        h.item.definition.code for h in history if h.action == "item_done" and h.actor_id is None
    ]
    assert done == AUTOMATIC


def test_worker_walks_an_order_to_live(workers, worker_env) -> None:
    workers.append(start_worker(celery_app.conf.broker_url, name="walk", extra_env=worker_env))
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    complete_manual_items_until(order, coordinator)
    rollin = Rollin.objects.get(order=order)
    assert rollin.status == Rollin.Status.LIVE and rollin.live_at is not None
    assert_clean_history(rollin)


def test_killed_worker_loses_nothing(workers, worker_env) -> None:
    broker = celery_app.conf.broker_url
    workers.append(start_worker(broker, name="victim", extra_env=worker_env))
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    # Slow Fachverfahren: the worker will be inside an HTTP call when it dies.
    SimulatorProfile.objects.create(authority_code=order.authority.code, delay_ms=1500)
    complete_manual_items_until(order, coordinator, stop_after="ansprechpersonen")
    rollin = Rollin.objects.get(order=order)
    wait_until(
        lambda: Rollin.objects.filter(pk=rollin.pk, claimed_until__isnull=False).exists(),
        timeout=60,
        what="the worker to claim an automatic item",
    )
    kill_worker(workers[0])
    # It died holding the claim: nobody recorded the item it was working on.
    rollin.refresh_from_db()
    assert rollin.claim_token != ""
    assert rollin.stage.code == "anbindung"
    SimulatorProfile.objects.filter(authority_code=order.authority.code).update(delay_ms=0)
    workers.append(start_worker(broker, name="phoenix", extra_env=worker_env))
    complete_manual_items_until(order, coordinator, tick=rollin_sweep)
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.LIVE
    assert_clean_history(rollin)


def test_two_workers_on_the_same_orders(workers, worker_env) -> None:
    broker = celery_app.conf.broker_url
    workers.append(start_worker(broker, name="one", extra_env=worker_env))
    workers.append(start_worker(broker, name="two", extra_env=worker_env))
    orders = [order_with_rollin() for _ in range(4)]
    for order in orders:
        coordinator = coordinator_for(order)
        complete_manual_items_until(order, coordinator, stop_before="eingang_bestaetigen")
    # Enqueue every order many times over: both workers compete for the same orders.
    from rollin.tasks import advance

    for _ in range(5):
        for order in orders:
            advance.delay(order.pk)
    for order in orders:
        complete_manual_items_until(order, coordinator_for(order), tick=rollin_sweep)
        assert_clean_history(Rollin.objects.get(order=order))
