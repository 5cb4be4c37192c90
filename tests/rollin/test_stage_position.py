"""The roll-in's copy of its stage's position, which sorts the order list by stage: set on
entering a stage, carried along when an operator reorders the template, repaired by
rebuild_figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from rollin.models import Rollin, StageDefinition
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    RollinFactory,
    complete_as_its_person,
    coordinator_for,
    open_manual_item,
    order_with_rollin,
)

pytestmark = pytest.mark.django_db


def _position(order) -> tuple[int | None, int]:
    """The copy and the stage's own position."""
    rollin = Rollin.objects.select_related("stage").get(order=order)
    return rollin.stage_position, rollin.stage.position


def test_each_stage_entered_sets_the_copy() -> None:
    order = order_with_rollin()
    copy, position = _position(order)
    assert copy == position

    complete_as_its_person(order, open_manual_item(order.rollin), coordinator_for(order))
    rollin_advance(order_id=order.pk)

    rollin = Rollin.objects.select_related("stage").get(order=order)
    assert rollin.stage.code != "bestellt"
    assert rollin.stage_position == rollin.stage.position


def test_reordering_a_stage_carries_the_roll_ins_at_it_along() -> None:
    at_vertrag = RollinFactory(at="vertrag")
    elsewhere = RollinFactory(at="kickoff")
    vertrag = at_vertrag.stage
    kickoff_position = elsewhere.stage_position

    vertrag.position = 99  # as the admin's stage form saves it
    vertrag.save()

    at_vertrag.refresh_from_db()
    elsewhere.refresh_from_db()
    assert at_vertrag.stage_position == 99
    assert elsewhere.stage_position == kickoff_position


def test_rebuild_figures_repairs_the_copy() -> None:
    order = order_with_rollin()
    Rollin.objects.filter(order=order).update(stage_position=42)  # written around the stages
    StageDefinition.objects.filter(pk=order.rollin.stage_id).update(position=77)  # no signal

    call_command("rebuild_figures", stdout=io.StringIO())

    assert _position(order) == (77, 77)
