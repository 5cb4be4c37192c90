"""Whose turn a roll-in is (`Rollin.waiting_on`) follows every transition, the waiting figures
count it, and the repair derives it again from the items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rollin.figures import figures_maintained, figures_recomputed
from rollin.models import ItemDefinition, Rollin, StageDefinition, WaitingFigure
from rollin.services import rollin_assign, rollin_hold, rollin_resume
from rollin.waiting import waiting_on_refresh
from tests.factories import AdminFactory
from tests.factories_rollin import (
    complete_as_its_person,
    coordinator_for,
    order_with_rollin,
    walk_to,
)
from tests.rollin.test_template_edits import form_data

pytestmark = pytest.mark.django_db

Actor = ItemDefinition.Actor


def waiting_rows() -> set[tuple[str, bool, int]]:
    return {
        (row.waiting_on, row.assigned, row.orders)
        for row in WaitingFigure.objects.all()
        if row.orders
    }


def test_a_new_order_waits_for_the_coordination_to_release_it() -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.get(order=order)
    assert (rollin.status, rollin.waiting_on) == (Rollin.Status.WAITING, Actor.COORDINATOR)
    assert waiting_rows() == {(Actor.COORDINATOR, False, 1)}


def test_the_turn_passes_between_authority_and_coordination() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    upload = walk_to(order, "vertrag_hochladen", coordinator)
    assert Rollin.objects.get(order=order).waiting_on == Actor.STAFF
    assert waiting_rows() == {(Actor.STAFF, False, 1)}
    complete_as_its_person(order, upload, coordinator)
    assert Rollin.objects.get(order=order).waiting_on == Actor.COORDINATOR


def test_assignment_hold_and_resume_keep_the_queue_figures() -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    rollin_id = Rollin.objects.get(order=order).pk
    rollin_assign(rollin_id=rollin_id, actor=coordinator, assignee=coordinator)
    assert waiting_rows() == {(Actor.COORDINATOR, True, 1)}
    rollin_hold(rollin_id=rollin_id, actor=coordinator, reason="Rückfrage")
    assert Rollin.objects.get(pk=rollin_id).waiting_on == ""
    assert waiting_rows() == set()
    # Back to waiting: whose turn it is comes from the items again.
    rollin_resume(rollin_id=rollin_id, actor=coordinator, reason="Geklärt")
    assert Rollin.objects.get(pk=rollin_id).waiting_on == Actor.COORDINATOR
    assert waiting_rows() == {(Actor.COORDINATOR, True, 1)}
    rollin_assign(rollin_id=rollin_id, actor=coordinator, assignee=None)
    assert waiting_rows() == {(Actor.COORDINATOR, False, 1)}


def test_the_repair_derives_the_column_from_the_items_and_is_idempotent() -> None:
    waiting, moving = order_with_rollin(), order_with_rollin()
    walk_to(moving, "vertrag_hochladen", coordinator_for(moving))
    Rollin.objects.filter(order=waiting).update(waiting_on=Actor.STAFF)
    Rollin.objects.filter(order=moving).update(waiting_on="")
    assert waiting_on_refresh(Rollin.objects.all()) == 2
    assert Rollin.objects.get(order=waiting).waiting_on == Actor.COORDINATOR
    assert Rollin.objects.get(order=moving).waiting_on == Actor.STAFF
    assert waiting_on_refresh(Rollin.objects.all()) == 0


def test_an_operator_handing_an_item_to_the_authority_moves_the_queue(client) -> None:
    """The admin's stage edit rebuilds the figures of the roll-ins at that stage."""
    order = order_with_rollin()  # at Bestellt: its release is the coordination's
    stage = StageDefinition.objects.get(template__service__isnull=True, code="bestellt")
    url = reverse("admin:rollin_stagedefinition_change", args=[stage.pk])
    client.force_login(AdminFactory())
    page = client.get(url)
    data = form_data(page.context["adminform"].form)
    [inline] = page.context["inline_admin_formsets"]
    data.update(form_data(inline.formset.management_form))
    for form in inline.formset.forms:
        data.update(form_data(form))
    data[f"{inline.formset.prefix}-0-actor"] = Actor.STAFF
    assert client.post(url, data).status_code == 302
    assert Rollin.objects.get(order=order).waiting_on == Actor.STAFF
    state_ids = [order.authority.state_id]
    assert figures_maintained(state_ids) == figures_recomputed(state_ids)
    assert waiting_rows() == {(Actor.STAFF, False, 1)}
