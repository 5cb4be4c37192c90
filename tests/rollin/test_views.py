"""The people's side on the order page, through the test client as each role.

Every completion must re-enqueue the worker and tell the other side what is now theirs; bad
input gets a German message, changes nothing and shows again what was typed.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import Notification
from rollin.models import HistoryEntry, Rollin, RollinItem
from tests.factories import CoordinatorFactory, StaffFactory, StateFactory, ViewerFactory
from tests.factories_rollin import PDF, coordinator_for, order_with_rollin, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The worker runs queued after commit (the real worker is tests/rollin/test_worker's)."""
    from rollin import tasks

    calls: list[int] = []
    monkeypatch.setattr(tasks.advance, "delay", calls.append)
    return calls


@pytest.fixture
def order():
    return order_with_rollin()


@pytest.fixture
def coordinator(order):
    return coordinator_for(order)


def page_url(order) -> str:
    return reverse("orders:order_detail", args=[order.number])


def post_as(client, user, url: str, data: dict | None = None, **kwargs):
    client.force_login(user)
    return client.post(url, data or {}, **kwargs)


def complete_url(item: RollinItem) -> str:
    return reverse("rollin:item_complete", args=[item.pk])


def unchanged(order, history_count: int) -> bool:
    return HistoryEntry.objects.filter(rollin__order=order).count() == history_count


def told(user, fragment: str) -> bool:
    in_portal = Notification.objects.filter(user=user, text__contains=fragment).exists()
    by_mail = any(user.email in m.to and fragment in m.body for m in mail.outbox)
    return in_portal and by_mail


def test_staff_upload_the_signed_contract_and_the_coordinator_is_told(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    item = walk_to(order, "vertrag_hochladen", coordinator)
    enqueued.clear()
    upload = SimpleUploadedFile("vertrag.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_as(
            client, order.placed_by, complete_url(item), {f"item{item.pk}-document": upload}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollinItem.Status.DONE and item.completed_by == order.placed_by
    assert item.document.read() == PDF
    assert enqueued == [order.pk]
    assert told(coordinator, "Vertrag gegenzeichnen")
    # The coordinator sees the countersigning form and the document on the order page.
    client.force_login(coordinator)
    page = client.get(page_url(order)).content.decode()
    assert "„Vertrag gegenzeichnen“ erledigen" in page
    assert reverse("rollin:item_document", args=[item.pk]) in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Bitte laden Sie das unterschriebene Dokument als PDF-Datei hoch."),
        (SimpleUploadedFile("vertrag.pdf", b"just text", "application/pdf"), "PDF-Datei hoch"),
    ],
)
def test_contract_without_a_pdf_is_refused_and_nothing_changes(
    client, order, coordinator, enqueued, upload, message
) -> None:
    item = walk_to(order, "vertrag_hochladen", coordinator)
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    enqueued.clear()
    data = {f"item{item.pk}-document": upload} if upload else {}
    response = post_as(client, order.placed_by, complete_url(item), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.status == RollinItem.Status.OPEN and not item.document
    assert unchanged(order, history) and enqueued == []


def test_coordinator_countersigns_and_the_worker_is_enqueued(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    item = walk_to(order, "gegenzeichnen", coordinator)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_as(client, coordinator, complete_url(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollinItem.Status.DONE and item.completed_by == coordinator
    assert enqueued == [order.pk]
    # The worker enters Kick-off and tells the staff the contacts are theirs now.
    with django_capture_on_commit_callbacks(execute=True):
        kickoff = walk_to(order, "ansprechpersonen", coordinator)
    assert kickoff.rollin.stage.code == "kickoff"
    assert told(order.placed_by, "Ansprechpersonen benennen")


def test_staff_cannot_countersign(client, order, coordinator, enqueued) -> None:
    item = walk_to(order, "gegenzeichnen", coordinator)
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    response = post_as(client, order.placed_by, complete_url(item))
    assert response.status_code == 400
    assert "Dieser Punkt kann von Ihnen derzeit nicht erledigt werden." in response.content.decode()
    item.refresh_from_db()
    assert item.status == RollinItem.Status.OPEN and unchanged(order, history)


def contacts(item: RollinItem, email: str = "it@kelheim.example") -> dict[str, str]:
    roles = ["project_lead", "technical", "specialist", "vendor", "data_protection"]
    data = {}
    for role in roles:
        data[f"item{item.pk}-{role}_name"] = f"Erika Muster ({role})"
        data[f"item{item.pk}-{role}_email"] = email
    return data


def test_staff_name_the_kickoff_contacts(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    item = walk_to(order, "ansprechpersonen", coordinator)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_as(client, order.placed_by, complete_url(item), contacts(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollinItem.Status.DONE
    assert item.data["contacts"]["technical"] == {
        "name": "Erika Muster (technical)",
        "email": "it@kelheim.example",
    }
    assert enqueued == [order.pk]


def test_bad_contact_email_keeps_everything_typed(client, order, coordinator, enqueued) -> None:
    item = walk_to(order, "ansprechpersonen", coordinator)
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    response = post_as(
        client, order.placed_by, complete_url(item), contacts(item, email="keine-adresse")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in page
    assert 'value="Erika Muster (vendor)"' in page and 'value="keine-adresse"' in page
    item.refresh_from_db()
    assert item.status == RollinItem.Status.OPEN and item.data == {}
    assert unchanged(order, history)


@pytest.mark.parametrize(
    "code", ["eingang_bestaetigen", "schulung_bestaetigen", "wirkbetrieb_freigeben"]
)
def test_staff_confirm_receipt_training_and_go_live(
    client, order, coordinator, enqueued, code, django_capture_on_commit_callbacks
) -> None:
    item = walk_to(order, code, coordinator)
    enqueued.clear()
    client.force_login(order.placed_by)
    assert f"„{item.definition.label}“ erledigen" in client.get(page_url(order)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(complete_url(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollinItem.Status.DONE
    assert enqueued == [order.pk]


def test_go_live_approval_brings_the_order_live_with_its_timeline(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    from rollin.connectors import InProcessConnector
    from rollin.worker import rollin_advance

    item = walk_to(order, "wirkbetrieb_freigeben", coordinator)
    post_as(client, order.placed_by, complete_url(item))
    with django_capture_on_commit_callbacks(execute=True):
        rollin_advance(order_id=order.pk, connector=InProcessConnector())
    assert Rollin.objects.get(order=order).status == Rollin.Status.LIVE
    assert told(order.placed_by, "ist im Wirkbetrieb")
    page = client.get(page_url(order)).content.decode()
    assert "Im Wirkbetrieb seit" in page
    assert "Schulung &amp; Freigabe → Wirkbetrieb" in page
    assert "Bestellung prüfen und freigeben" in page  # the timeline goes back to the start


def test_coordinator_rejects_the_contract_with_a_reason(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.base import ContentFile

    from rollin.services import rollin_item_complete

    item = walk_to(order, "vertrag_hochladen", coordinator)
    rollin_item_complete(
        item_id=item.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    url = reverse("rollin:item_reject", args=[item.pk])
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    empty = post_as(client, coordinator, url, {f"reject{item.pk}-reason": "   "})
    assert empty.status_code == 400
    assert "Bitte geben Sie einen Grund an." in empty.content.decode()
    item.refresh_from_db()
    assert item.status == RollinItem.Status.DONE and unchanged(order, history)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"reject{item.pk}-reason": "Unterschrift fehlt"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RollinItem.Status.REJECTED
    assert item.rejection_reason == "Unterschrift fehlt"
    assert told(order.placed_by, "Unterschrift fehlt")


def test_coordinator_holds_and_resumes(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    rollin = order.rollin
    hold_url = reverse("rollin:hold", args=[order.number])
    empty = post_as(client, coordinator, hold_url, {"hold-reason": ""})
    assert empty.status_code == 400
    assert "Bitte geben Sie einen Grund an." in empty.content.decode()
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(hold_url, {"hold-reason": "Rückfrage zur Finanzierung"})
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.ON_HOLD
    assert told(order.placed_by, "Rückfrage zur Finanzierung")
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rollin:resume", args=[order.number]), {"resume-reason": "Geklärt"}
        )
    assert response.status_code == 302
    rollin.refresh_from_db()
    assert rollin.status == Rollin.Status.WAITING
    assert enqueued == [order.pk]
    assert told(order.placed_by, "wird fortgesetzt")


def test_staff_cannot_hold_and_keep_what_they_typed(client, order, enqueued) -> None:
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    response = post_as(
        client,
        order.placed_by,
        reverse("rollin:hold", args=[order.number]),
        {"hold-reason": "Wir möchten pausieren"},
    )
    assert response.status_code == 400
    assert "Die Bestellung kann nicht zurückgestellt werden." in response.content.decode()
    assert Rollin.objects.get(order=order).status == Rollin.Status.WAITING
    assert unchanged(order, history)


def test_coordinator_cancels_and_the_staff_are_told(
    client, order, coordinator, enqueued, django_capture_on_commit_callbacks
) -> None:
    walk_to(order, "ansprechpersonen", coordinator)
    url = reverse("rollin:cancel", args=[order.number])
    client.force_login(coordinator)
    assert client.post(url, {"cancel-reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"cancel-reason": "Behörde verzichtet"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.rollin.status == Rollin.Status.CANCELLED
    assert order.cancel_reason == "Behörde verzichtet"
    assert told(order.placed_by, "Behörde verzichtet")


def test_staff_cannot_cancel_after_the_contract(client, order, coordinator, enqueued) -> None:
    walk_to(order, "ansprechpersonen", coordinator)
    response = post_as(
        client,
        order.placed_by,
        reverse("rollin:cancel", args=[order.number]),
        {"cancel-reason": "Doch nicht"},
    )
    assert response.status_code == 400
    assert "Die Bestellung kann nicht mehr storniert werden." in response.content.decode()
    assert Rollin.objects.get(order=order).status == Rollin.Status.WAITING


def outsiders(order) -> list:
    other_state = StateFactory(ags="05", name="Nordrhein-Westfalen")
    return [
        StaffFactory(),  # staff of another authority
        ViewerFactory(),
        CoordinatorFactory(states=[other_state]),
    ]


def test_outsiders_get_404_and_change_nothing(client, order, coordinator, enqueued) -> None:
    from django.core.files.base import ContentFile

    from rollin.services import rollin_item_complete

    item = walk_to(order, "vertrag_hochladen", coordinator)
    rollin_item_complete(
        item_id=item.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    countersign = walk_to(order, "gegenzeichnen", coordinator)
    history = HistoryEntry.objects.filter(rollin__order=order).count()
    posts = [
        (complete_url(countersign), {}),
        (reverse("rollin:item_reject", args=[item.pk]), {f"reject{item.pk}-reason": "x"}),
        (reverse("rollin:hold", args=[order.number]), {"hold-reason": "x"}),
        (reverse("rollin:resume", args=[order.number]), {"resume-reason": "x"}),
        (reverse("rollin:cancel", args=[order.number]), {"cancel-reason": "x"}),
        (reverse("rollin:assign", args=[order.number]), {}),
        (reverse("rollin:remind", args=[order.number]), {}),
    ]
    for user in outsiders(order):
        client.force_login(user)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (user, url)
        document = reverse("rollin:item_document", args=[item.pk])
        assert client.get(document).status_code == 404
        assert client.get(page_url(order)).status_code == 404
    assert unchanged(order, history) and enqueued == []
    client.logout()
    response = client.post(complete_url(countersign))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_download_their_contract(client, order, coordinator, enqueued) -> None:
    from django.core.files.base import ContentFile

    from rollin.services import rollin_item_complete

    item = walk_to(order, "vertrag_hochladen", coordinator)
    rollin_item_complete(
        item_id=item.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    client.force_login(order.placed_by)
    response = client.get(reverse("rollin:item_document", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
