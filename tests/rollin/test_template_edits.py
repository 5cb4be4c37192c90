"""Operators edit stage templates in the admin; edits reach orders that have not yet entered
the edited stage, and leave alone those in it or past it (items are created on entry)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rollin.models import ItemDefinition, Rollin, RollinItem, StageDefinition
from rollin.workdays import add_working_days
from tests.factories import AdminFactory
from tests.factories_rollin import (
    assert_clean_stage_walk,
    coordinator_for,
    order_with_rollin,
    walk_to,
)

pytestmark = pytest.mark.django_db


def form_data(form) -> dict[str, object]:
    """What the browser would post for an unchanged form."""
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def admin_edit_vertrag(client) -> None:
    """As an operator: Vertrag gets 25 working days and a new staff item before countersigning."""
    vertrag = StageDefinition.objects.get(template__service__isnull=True, code="vertrag")
    url = reverse("admin:rollin_stagedefinition_change", args=[vertrag.pk])
    client.force_login(AdminFactory())
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form)
    data["due_working_days"] = 25
    [inline] = page.context["inline_admin_formsets"]
    formset = inline.formset
    data.update(form_data(formset.management_form))
    for form in formset.forms:
        data.update(form_data(form))
    new = formset.prefix + f"-{formset.total_form_count()}"
    data[f"{formset.prefix}-TOTAL_FORMS"] = formset.total_form_count() + 1
    data.update(
        {
            f"{new}-position": 3,
            f"{new}-code": "datenschutz",
            f"{new}-label": "Datenschutzvereinbarung hochladen",
            f"{new}-kind": ItemDefinition.Kind.MANUAL,
            f"{new}-actor": ItemDefinition.Actor.STAFF,
            f"{new}-requires_document": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert vertrag.items.filter(code="datenschutz").exists()


def item_codes(rollin: Rollin, stage_code: str) -> list[str]:
    return list(
        RollinItem.objects.filter(rollin=rollin, stage__code=stage_code)
        .order_by("definition__position")
        .values_list("definition__code", flat=True)
    )


def test_template_edits_apply_to_orders_that_have_not_reached_the_stage(client) -> None:
    past = order_with_rollin()
    coordinator = coordinator_for(past)
    walk_to(past, "ansprechpersonen", coordinator)  # Vertrag is behind it
    inside = order_with_rollin()
    walk_to(inside, "vertrag_hochladen", coordinator_for(inside))  # in Vertrag already
    ahead = order_with_rollin()  # still at Bestellt
    inside_due = Rollin.objects.get(order=inside).due_at

    admin_edit_vertrag(client)

    assert item_codes(past.rollin, "vertrag") == ["vertrag_hochladen", "gegenzeichnen"]
    assert item_codes(inside.rollin, "vertrag") == ["vertrag_hochladen", "gegenzeichnen"]
    assert Rollin.objects.get(order=inside).due_at == inside_due
    # The order that enters Vertrag after the edit gets the new item and the new period.
    walk_to(ahead, "vertrag_hochladen", coordinator_for(ahead))
    rollin = Rollin.objects.get(order=ahead)
    assert item_codes(rollin, "vertrag") == ["vertrag_hochladen", "gegenzeichnen", "datenschutz"]
    state_ags = rollin.order.authority.state.ags
    assert rollin.due_at == add_working_days(rollin.stage_entered_at, 25, state_ags)
    # Its staff must complete the new item too before the order leaves Vertrag.
    walk_to(ahead, "datenschutz", coordinator_for(ahead))
    assert walk_to(ahead, "ansprechpersonen", coordinator_for(ahead)).stage.code == "kickoff"
    # The order past Vertrag goes on as before; every history stays a clean walk.
    walk_to(past, "eingang_bestaetigen", coordinator)
    for order in (past, inside, ahead):
        assert_clean_stage_walk(Rollin.objects.get(order=order))
