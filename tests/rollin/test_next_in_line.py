""" "Next in line" has two forms in rollin.transitions — over loaded items and as a queryset
filter for lists — and they must always name the same item."""

from __future__ import annotations

import itertools

import pytest

from rollin.models import RollinItem
from rollin.transitions import next_in_line, next_in_line_q
from tests.factories_rollin import coordinator_for, order_with_rollin, walk_to_stage

pytestmark = pytest.mark.django_db


def _both(rollin_id: int, stage_id: int) -> tuple[set[int], set[int]]:
    items = list(
        RollinItem.objects.filter(rollin_id=rollin_id, stage_id=stage_id).select_related(
            "definition"
        )
    )
    first = next_in_line(items)
    in_python = {first.pk} if first is not None else set()
    in_sql = set(
        RollinItem.objects.filter(
            next_in_line_q(), rollin_id=rollin_id, stage_id=stage_id
        ).values_list("pk", flat=True)
    )
    return in_python, in_sql


def test_python_and_sql_name_the_same_next_item_for_every_state_of_a_stage() -> None:
    order = order_with_rollin()
    # The contract stage: upload by the authority, then the coordination's countersignature.
    rollin = walk_to_stage(order, "vertrag", coordinator_for(order))
    stage_with_items = rollin.stage_id
    items = list(rollin.items.filter(stage_id=stage_with_items).order_by("pk"))
    assert len(items) >= 2
    statuses = [RollinItem.Status.OPEN, RollinItem.Status.DONE, RollinItem.Status.REJECTED]
    for combination in itertools.product(statuses, repeat=len(items)):
        for item, status in zip(items, combination, strict=True):
            item.status = status
        RollinItem.objects.bulk_update(items, ["status"])
        in_python, in_sql = _both(rollin.pk, stage_with_items)
        assert in_python == in_sql, combination
