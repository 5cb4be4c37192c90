"""Guards against the database: who may cancel, hold, resume, complete and reject."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from rollin import transitions
from rollin.services import rollin_hold, rollin_item_complete
from tests.factories import AdminFactory, CoordinatorFactory, StaffFactory, StateFactory
from tests.factories_rollin import (
    coordinator_for,
    open_manual_item,
    order_with_rollin,
    walk_to_stage,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 test"


def test_staff_may_cancel_until_the_contract_is_complete() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "vertrag", coordinator)
    assert transitions.can_cancel(rollin, order.placed_by)
    rollin = walk_to_stage(order, "kickoff", coordinator)
    assert not transitions.can_cancel(rollin, order.placed_by)
    assert transitions.can_cancel(rollin, coordinator)


def test_staff_of_another_authority_and_foreign_coordinators_may_do_nothing() -> None:
    order = order_with_rollin()
    rollin = order.rollin
    stranger = StaffFactory()
    foreign = CoordinatorFactory(states=[StateFactory(ags="08", name="Baden-Württemberg")])
    item = open_manual_item(rollin)
    assert item is not None
    for user in (stranger, foreign):
        assert not transitions.can_cancel(rollin, user)
        assert not transitions.can_hold(rollin, user)
        assert not transitions.can_complete_item(item, user)


def test_coordinator_items_need_a_coordinator_of_the_state_or_an_admin() -> None:
    order = order_with_rollin()
    item = open_manual_item(order.rollin)
    assert item is not None
    assert item.definition.code == "freigabe"
    assert not transitions.can_complete_item(item, order.placed_by)
    assert transitions.can_complete_item(item, coordinator_for(order))
    assert transitions.can_complete_item(item, AdminFactory())


def test_staff_items_only_by_staff_of_that_authority_and_in_order() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "vertrag", coordinator)
    upload, countersign = list(
        rollin.items.filter(stage=rollin.stage).order_by("definition__position")
    )
    assert transitions.can_complete_item(upload, order.placed_by)
    assert not transitions.can_complete_item(upload, coordinator)
    assert not transitions.can_complete_item(countersign, coordinator)  # upload comes first
    colleague = StaffFactory(authority=order.authority)
    assert transitions.can_complete_item(upload, colleague)


def test_reject_only_done_staff_items_by_coordinators() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = walk_to_stage(order, "vertrag", coordinator)
    upload = open_manual_item(rollin)
    assert upload is not None
    assert not transitions.can_reject_item(upload, coordinator)  # still open
    rollin_item_complete(
        item_id=upload.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    upload.refresh_from_db()
    rollin.refresh_from_db()
    assert transitions.can_reject_item(upload, coordinator, rollin)
    assert not transitions.can_reject_item(upload, order.placed_by, rollin)


def test_on_hold_blocks_items_and_only_coordinators_hold_and_resume() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin = order.rollin
    assert not transitions.can_hold(rollin, order.placed_by)
    assert transitions.can_hold(rollin, coordinator)
    rollin = rollin_hold(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage")
    item = open_manual_item(rollin)
    assert item is not None
    assert not transitions.can_complete_item(item, coordinator, rollin)
    assert transitions.can_resume(rollin, coordinator)
    assert not transitions.can_resume(rollin, order.placed_by)
