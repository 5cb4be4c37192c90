"""Notifications are written in German and English and read in the reader's language."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.models import Notification
from portal.services import NOTIFICATION_LENGTH, notification_text, notify
from rollin.services import rollin_item_complete, rollin_item_reject
from tests.factories import StaffFactory
from tests.factories_rollin import PDF, coordinator_for, order_with_rollin, walk_to

pytestmark = pytest.mark.django_db


def _rejected_contract():
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    upload = walk_to(order, "vertrag_hochladen", coordinator)
    rollin_item_complete(
        item_id=upload.pk, actor=order.placed_by, document=ContentFile(PDF, name="v.pdf")
    )
    reason = "Unterschrift fehlt. " * 100  # 2,000 characters, as the form allows
    rollin_item_reject(item_id=upload.pk, actor=coordinator, reason=reason)
    return order, upload.definition


def test_a_rejection_reaches_staff_in_both_languages_and_a_long_reason_is_cut() -> None:
    order, item = _rejected_contract()

    note = Notification.objects.filter(user=order.placed_by, text__contains="zurückgewiesen").get()

    assert note.text.startswith(f"Bestellung {order.number}: „{item.label}“ wurde zurückgewiesen")
    assert note.text_en.startswith(f"Order {order.number}: “{item.label_en}” has been sent back")
    assert len(note.text) == NOTIFICATION_LENGTH and note.text.endswith("…")
    assert len(note.text_en) == NOTIFICATION_LENGTH


def test_the_notification_page_shows_the_readers_language(client) -> None:
    order, item = _rejected_contract()
    client.force_login(order.placed_by)
    url = reverse("portal:notifications")

    assert f"„{item.label}“ wurde zurückgewiesen" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    assert f"“{item.label_en}” has been sent back" in english
    assert "zurückgewiesen" not in english


def test_a_plain_text_stays_german_and_a_repeated_key_notifies_once() -> None:
    user = StaffFactory()
    assert notify(users=[user], text="Nur deutsch", dedup_key="k") == 1
    assert (
        notify(
            users=[user],
            text=notification_text(
                gettext_lazy("Neuer Kommentar zu Bestellung %(number)s"), number="X"
            ),
            dedup_key="k",
        )
        == 0
    )
    note = Notification.objects.get(user=user)
    assert (note.text, note.text_en, note.display_text) == ("Nur deutsch", "", "Nur deutsch")


def test_a_membership_request_tells_the_coordinators_in_both_languages(
    django_capture_on_commit_callbacks,
) -> None:
    from accounts.services import membership_request
    from tests.factories import AuthorityFactory, CoordinatorFactory, UserFactory

    authority = AuthorityFactory()
    coordinator = CoordinatorFactory(states=[authority.state])
    user = UserFactory(first_name="Erika", last_name="Muster")

    with django_capture_on_commit_callbacks(execute=True):
        membership_request(user=user, authority=authority, message="Bitte freischalten")

    note = Notification.objects.get(user=coordinator)
    assert note.text == f"{user} möchte für {authority} bestellen."
    assert note.text_en and note.text_en != note.text
