"""The national data generator writes data the rest of the portal can trust."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from orders.models import Order
from rollin.models import HistoryEntry, Rollin, RollinItem, StageDefinition

pytestmark = pytest.mark.django_db


def generate(orders: int = 200, services: int = 6, *extra: str) -> str:
    out = StringIO()
    call_command(
        "generate_national",
        "--skip-geo",
        f"--orders={orders}",
        f"--services={services}",
        "--seed=7",
        "--batch-size=50",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_generator_creates_requested_orders_each_with_a_rollin(small_state):
    output = generate()

    assert Order.objects.count() == 200
    assert Rollin.objects.count() == 200
    assert "Bestellungen [##############################] 200/200" in output


def test_at_most_one_active_order_per_authority_and_service(small_state):
    # 200 orders on 40×(municipal services) + 3×(district services) pairs forces re-orders.
    generate(orders=200, services=4)

    active = (
        Order.objects.filter(cancelled_at__isnull=True)
        .values("authority", "service")
        .annotate(n=Count("id"))
    )
    assert active and max(row["n"] for row in active) == 1
    assert Order.objects.filter(cancelled_at__isnull=False).exists()


def test_orders_go_to_authorities_of_the_services_level(small_state):
    generate()

    for order in Order.objects.select_related("authority", "service"):
        assert order.authority.serves_level(order.service.level)


def test_history_is_gap_free_and_matches_the_current_stage(small_state):
    generate()

    stages = {s.id: s for s in StageDefinition.objects.all()}
    history: dict[int, list[HistoryEntry]] = defaultdict(list)
    for entry in HistoryEntry.objects.order_by("rollin_id", "seq"):
        history[entry.rollin_id].append(entry)
    for rollin in Rollin.objects.all():
        entries = history[rollin.id]
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert entries[0].action == HistoryEntry.Action.PLACED
        assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
        moves = [e for e in entries if e.action in ("placed", "advanced")]
        # One "advanced" per stage passed: the count equals the stage's place in the template.
        assert len(moves) == stages[rollin.stage_id].position
        assert moves[-1].to_stage_id == rollin.stage_id
        assert entries[-1].to_status == rollin.status
        if hasattr(rollin, "last_seq"):
            assert rollin.last_seq == len(entries)


def test_live_at_is_set_exactly_for_live_rollins(small_state):
    generate()

    statuses = Counter(Rollin.objects.values_list("status", flat=True))
    assert statuses["live"] > 0 and statuses["in_progress"] > 0
    for rollin in Rollin.objects.select_related("stage", "order"):
        assert (rollin.live_at is not None) == (rollin.status == Rollin.Status.LIVE)
        assert rollin.stage.is_live == (rollin.status == Rollin.Status.LIVE)
        assert (rollin.order.cancelled_at is not None) == (rollin.status == "cancelled")


def test_items_exist_for_the_current_stage_only(small_state):
    generate()

    for item in RollinItem.objects.select_related("rollin"):
        assert item.stage_id == item.rollin.stage_id
    failing = Rollin.objects.filter(status=Rollin.Status.FAILING)
    for rollin in failing:
        assert rollin.items.filter(status=RollinItem.Status.FAILED).count() == 1


def test_generator_refuses_to_add_to_existing_orders_unless_reset(small_state):
    generate(orders=50)

    with pytest.raises(CommandError, match="--reset"):
        generate(orders=50)
    generate(60, 6, "--reset")
    assert Order.objects.count() == 60


def test_overdue_flag_is_logged_once_in_the_history(small_state):
    generate()

    flagged = Rollin.objects.filter(overdue_flagged_at__isnull=False)
    assert flagged.exists()
    for rollin in flagged:
        overdue = rollin.history.filter(action=HistoryEntry.Action.OVERDUE)
        assert overdue.count() == 1
        assert overdue.get().created_at == rollin.overdue_flagged_at
    assert not HistoryEntry.objects.filter(
        action=HistoryEntry.Action.OVERDUE, rollin__overdue_flagged_at__isnull=True
    ).exists()
