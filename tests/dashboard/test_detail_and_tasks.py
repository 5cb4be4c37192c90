"""The coordinators' order page and their work queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.models import Comment
from rollin.figures import figures_rebuild
from rollin.models import ConnectorLog, Rollin, RollinItem
from tests import factories
from tests.dashboard.conftest import order_in, populate

pytestmark = pytest.mark.django_db


def test_detail_shows_contact_history_connector_log_and_comments(client, world) -> None:
    order = order_in(world.kelheim, world.meldung, stage="anbindung", status="failing")
    item = RollinItem.objects.get(rollin__order=order, definition__code="zustellpunkt")
    ConnectorLog.objects.create(
        item=item,
        action="configure",
        request_url="https://fv.example.org/configure",
        response_status=503,
        error="Dienst nicht erreichbar",
        duration_ms=812,
    )
    Comment.objects.create(order=order, author=world.coordinator, text="Bitte Rückruf")
    client.force_login(world.coordinator)
    html = client.get(reverse("dashboard:order_detail", args=[order.number])).content.decode()
    for text in (
        order.contact_name,
        order.contact_email,
        order.contact_phone,
        "https://fv.example.org/configure",
        "503",
        "Dienst nicht erreichbar",
        "812",
        "Bitte Rückruf",
        "Verlauf",
        "Keine Förderung beantragt",
    ):
        assert text in html, text


def test_coordinator_approves_and_rejects_from_the_detail_page(client, world) -> None:
    order = order_in(world.kelheim, world.meldung, stage="vertrag", contract_document=True)
    client.force_login(world.coordinator)
    url = reverse("dashboard:order_detail", args=[order.number])
    html = client.get(url).content.decode()
    countersign = RollinItem.objects.get(rollin__order=order, definition__code="gegenzeichnen")
    upload = RollinItem.objects.get(rollin__order=order, definition__code="vertrag_hochladen")
    assert reverse("dashboard:item_approve", args=[order.number, countersign.pk]) in html
    response = client.post(
        reverse("dashboard:item_reject", args=[order.number, upload.pk]),
        {f"reject{upload.pk}-reason": "Unterschrift fehlt"},
    )
    assert response["Location"] == url + "#waiting"
    upload.refresh_from_db()
    assert upload.status == "rejected" and upload.rejection_reason == "Unterschrift fehlt"
    # Now the countersignature is not next any more: approving it is refused.
    client.post(reverse("dashboard:item_approve", args=[order.number, countersign.pk]))
    countersign.refresh_from_db()
    assert countersign.status == "open"


def test_approve_completes_the_coordinators_item(client, world) -> None:
    order = order_in(world.kelheim, world.meldung, stage="bestellt")
    item = RollinItem.objects.get(rollin__order=order, definition__code="freigabe")
    client.force_login(world.coordinator)
    client.post(reverse("dashboard:item_approve", args=[order.number, item.pk]))
    item.refresh_from_db()
    assert item.status == "done" and item.completed_by == world.coordinator


def test_my_tasks_lists_open_coordinator_items_of_mine_or_nobodys_longest_waiting_first(
    client, world
) -> None:
    colleague = factories.CoordinatorFactory(states=[world.bavaria])
    mine = order_in(world.kelheim, world.meldung, assignee=world.coordinator)
    nobodys = order_in(world.regen, world.meldung)
    order_in(world.muenchen_land, world.meldung, assignee=colleague)  # a colleague's
    order_in(world.kelheim, world.fuehrerschein, stage="vertrag")  # waits for the authority
    order_in(world.regen, world.fuehrerschein, status="on_hold")  # on hold: nobody's turn
    order_in(world.darmstadt, world.meldung)  # another state
    # The order longest at its stage comes first.
    Rollin.objects.filter(order=nobodys).update(
        stage_entered_at=nobodys.rollin.stage_entered_at.replace(year=2025)
    )
    client.force_login(world.coordinator)
    rows = client.get(reverse("dashboard:my_tasks")).context["rows"]
    assert [item.rollin.order.number for item, _turn in rows] == [nobodys.number, mine.number]


@pytest.mark.parametrize("count", [5, 50])
def test_detail_and_tasks_run_constant_queries(
    client, world, count, django_assert_max_num_queries
) -> None:
    orders = populate(world, count)
    Rollin.objects.update(assignee=None)
    figures_rebuild()  # the rows were changed by hand, not by transitions
    client.force_login(world.coordinator)
    # The page's count reads the waiting figures (the user's states, the figure, the orders
    # the user took on) instead of counting every open item; a page of the queue, then
    # the items its roll-ins wait for.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("dashboard:my_tasks")).status_code == 200
    with django_assert_max_num_queries(25):
        url = reverse("dashboard:order_detail", args=[orders[1].number])
        assert client.get(url).status_code == 200
