"""Coordinators act on the coordination's order page and stay there; e-mail links follow the
reader's role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.links import order_url_for
from rollin.models import HistoryEntry, Rollin
from tests import factories
from tests.factories_rollin import RollinFactory, coordinator_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rollin():
    return RollinFactory(at="vertrag")


@pytest.fixture
def coordinator(rollin):
    return coordinator_for(rollin.order)


def detail(rollin: Rollin) -> str:
    return reverse("dashboard:order_detail", args=[rollin.order.number])


def test_hold_and_resume_from_the_coordination_page_return_there(
    client, rollin, coordinator
) -> None:
    client.force_login(coordinator)
    number = rollin.order.number
    held = client.post(reverse("dashboard:order_hold", args=[number]), {"hold-reason": "Rückfrage"})
    assert held.status_code == 302 and held["Location"].startswith(detail(rollin))
    resumed = client.post(
        reverse("dashboard:order_resume", args=[number]), {"resume-reason": "Geklärt"}
    )
    assert resumed.status_code == 302 and resumed["Location"].startswith(detail(rollin))
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.WAITING
    entry = rollin.history.get(action=HistoryEntry.Action.RESUMED)
    assert entry.reason == "Geklärt" and entry.actor == coordinator


def test_resume_without_a_reason_is_refused_and_changes_nothing(
    client, rollin, coordinator
) -> None:
    client.force_login(coordinator)
    number = rollin.order.number
    client.post(reverse("dashboard:order_hold", args=[number]), {"hold-reason": "Rückfrage"})
    history = rollin.history.count()
    response = client.post(reverse("dashboard:order_resume", args=[number]), {})
    assert response.status_code == 400
    assert "Bitte geben Sie einen Grund an." in response.content.decode()
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.ON_HOLD and rollin.history.count() == history


def test_a_coordinator_of_another_state_cannot_act(client, rollin) -> None:
    client.force_login(factories.CoordinatorFactory(states=[]))
    response = client.post(
        reverse("dashboard:order_hold", args=[rollin.order.number]), {"hold-reason": "x"}
    )
    assert response.status_code == 404
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.WAITING


def test_the_coordination_page_has_one_button_per_approval(client, coordinator) -> None:
    rollin = RollinFactory(at="vertrag", contract_uploaded=True)
    client.force_login(coordinator_for(rollin.order))
    page = client.get(detail(rollin)).content.decode()
    countersign = rollin.items.get(definition__code="gegenzeichnen")
    approve = reverse("dashboard:item_approve", args=[rollin.order.number, countersign.pk])
    assert page.count(f'action="{approve}"') == 1
    assert reverse("rollin:item_complete", args=[countersign.pk]) not in page
    # Its actions post to the coordination's own URLs.
    assert reverse("dashboard:order_hold", args=[rollin.order.number]) in page
    assert reverse("rollin:hold", args=[rollin.order.number]) not in page
    assert "Wartet auf die Koordination: Vertrag gegenzeichnen" in page


def test_order_links_lead_each_reader_to_the_page_they_act_on(rollin, coordinator) -> None:
    staff = factories.StaffFactory(authority=rollin.order.authority)
    assert order_url_for(rollin.order, staff) == reverse(
        "orders:order_detail", args=[rollin.order.number]
    )
    assert order_url_for(rollin.order, coordinator) == detail(rollin)


def test_the_coordinators_e_mail_links_to_the_coordination_page(
    rollin, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.base import ContentFile

    from rollin.services import rollin_item_complete
    from tests.factories_rollin import PDF

    upload = rollin.items.get(definition__code="vertrag_hochladen")
    with django_capture_on_commit_callbacks(execute=True):
        rollin_item_complete(
            item_id=upload.pk,
            actor=rollin.order.placed_by,
            document=ContentFile(PDF, name="v.pdf"),
        )
    to_coordinator = [m for m in mailoutbox if coordinator.email in m.to]
    assert to_coordinator
    assert detail(rollin) in to_coordinator[0].body
    assert reverse("orders:order_detail", args=[rollin.order.number]) not in to_coordinator[0].body
