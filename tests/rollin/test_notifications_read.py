"""Notifications people read: subjects that say what happened, where; reminders in one daily
digest; plain text as written; connector failures as a sentence; each reader's language."""

from __future__ import annotations

import contextlib
import datetime
import email

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.digests import digests_send
from portal.models import Digest, DigestEntry, OutgoingEmail
from rollin.connectors import ConnectorResult
from rollin.models import HistoryEntry, RollinItem
from rollin.services import rollin_hold
from rollin.worker import rollin_advance, rollin_sweep
from tests.factories import AuthorityFactory, StaffFactory
from tests.factories_rollin import coordinator_for, order_with_rollin
from tests.rollin.test_services import to_anbindung

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """The e-mails sent once the action's transaction commits (the outbox sends after it)."""

    @contextlib.contextmanager
    def committing():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return mailoutbox, committing


TRICKY_NAME = 'Markt „Bäch & Söhne" Überried'
SIMULATOR_503 = 'HTTP 503: {"error": "Fachverfahren vor\\u00fcbergehend nicht verf\\u00fcgbar"}'


class Unreachable:
    def run(self, *, item: RollinItem) -> ConnectorResult:
        return ConnectorResult(ok=False, error=SIMULATOR_503)


def test_status_mail_subject_names_order_authority_and_event(sent) -> None:
    mailoutbox, committing = sent
    order = order_with_rollin(authority=AuthorityFactory(name="Gemeinde Pfatter"))
    with committing():
        rollin_hold(rollin_id=order.rollin.pk, actor=coordinator_for(order), reason="Rückfrage")
    [mail] = [m for m in mailoutbox if order.placed_by.email in m.to]
    assert mail.subject == f"Bestellung {order.number} (Gemeinde Pfatter): zurückgestellt"


def test_plain_text_part_carries_names_as_written(sent) -> None:
    mailoutbox, committing = sent
    order = order_with_rollin(authority=AuthorityFactory(name=TRICKY_NAME))
    with committing():
        rollin_hold(
            rollin_id=order.rollin.pk, actor=coordinator_for(order), reason="Frage & Antwort"
        )
    [mail] = [m for m in mailoutbox if order.placed_by.email in m.to]
    parsed = email.message_from_bytes(mail.message().as_bytes())
    [text] = [p for p in parsed.walk() if p.get_content_type() == "text/plain"]
    body = text.get_payload(decode=True).decode(text.get_content_charset() or "utf-8")
    assert TRICKY_NAME in body and "Frage & Antwort" in body
    assert "&amp;" not in body and "&quot;" not in body and "&#x27;" not in body
    assert TRICKY_NAME in mail.subject
    [html] = [p for p in parsed.walk() if p.get_content_type() == "text/html"]
    assert "Bäch &amp; Söhne" in html.get_payload(decode=True).decode("utf-8")


def test_english_reader_gets_english_mail_german_reader_german(sent) -> None:
    mailoutbox, committing = sent
    order = order_with_rollin()
    colleague = StaffFactory(authority=order.authority, language="en")
    with committing():
        rollin_hold(rollin_id=order.rollin.pk, actor=coordinator_for(order), reason="Rückfrage")
    english = next(m for m in mailoutbox if colleague.email in m.to)
    german = next(m for m in mailoutbox if order.placed_by.email in m.to)
    assert english.to == [colleague.email]  # one mail per language
    assert english.subject == f"Order {order.number} ({order.authority.name}): on hold"
    assert "has been put on hold" in english.body and "Bestellung" not in english.body
    assert german.subject.endswith(": zurückgestellt")


def test_sweep_collects_reminders_into_one_digest_per_person_and_day(sent) -> None:
    mailoutbox, committing = sent
    first = order_with_rollin()
    second = order_with_rollin(authority=AuthorityFactory(district=first.authority.district))
    coordination = coordinator_for(first)
    later = timezone.now() + datetime.timedelta(days=40)
    mailoutbox.clear()

    with committing():
        rollin_sweep(now=later)
        rollin_sweep(now=later)  # beat ran twice

    assert mailoutbox == []  # the sweep sends nothing itself
    entries = DigestEntry.objects.filter(user=coordination)
    assert entries.count() == 2  # overdue and reminder of one order are one entry
    morning = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(later), datetime.time(8, 0))
    )
    with committing():
        assert digests_send(now=morning) == 1
        assert digests_send(now=morning) == 0  # at most one per person and day
    [mail] = mailoutbox
    assert mail.to == [coordination.email]
    assert first.number in mail.body and second.number in mail.body
    assert "2 Bestellungen warten" in mail.subject
    assert Digest.objects.get(user=coordination).entries.count() == 2


def test_digest_waits_for_the_morning(settings) -> None:
    settings.DIGEST_SEND_HOUR = 7
    order = order_with_rollin()
    coordinator_for(order)
    later = timezone.now() + datetime.timedelta(days=40)
    rollin_sweep(now=later)
    night = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(later), datetime.time(5, 0))
    )
    assert digests_send(now=night) == 0
    assert DigestEntry.objects.filter(digest=None).exists()


def test_english_reader_gets_an_english_digest(sent) -> None:
    mailoutbox, committing = sent
    order = order_with_rollin()
    coordination = coordinator_for(order)
    coordination.language = "en"
    coordination.save()
    later = timezone.now() + datetime.timedelta(days=40)
    rollin_sweep(now=later)
    mailoutbox.clear()
    with committing():
        digests_send(
            now=timezone.make_aware(
                datetime.datetime.combine(timezone.localdate(later), datetime.time(9, 0))
            )
        )
    [mail] = mailoutbox
    assert mail.subject.startswith("Reminder of")
    assert f"Order {order.number}" in mail.body and "deadline of stage “Ordered”" in mail.body
    assert "Bestellung" not in mail.body and "Frist" not in mail.body


def test_connector_failure_reads_as_a_sentence_with_detail_for_coordinators_only(
    client,
) -> None:
    order = order_with_rollin()
    coordination = coordinator_for(order)
    to_anbindung(order, coordination)
    rollin_advance(order_id=order.pk, connector=Unreachable())
    entry = HistoryEntry.objects.get(rollin=order.rollin, action="item_failed")
    assert entry.reason == "" and entry.detail == SIMULATOR_503

    client.force_login(order.placed_by)
    staff_page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert "Das Fachverfahren war nicht erreichbar; nächster Versuch um" in staff_page
    assert "HTTP 503" not in staff_page and "vor\\u00fcbergehend" not in staff_page

    client.force_login(coordination)
    coordination_page = client.get(
        reverse("dashboard:order_detail", args=[order.number])
    ).content.decode()
    assert "Das Fachverfahren war nicht erreichbar; nächster Versuch um" in coordination_page
    assert "<details" in coordination_page and "HTTP 503" in coordination_page


def test_system_reasons_are_read_in_the_readers_language(client) -> None:
    order = order_with_rollin()
    coordination = coordinator_for(order)
    rollin_sweep(now=timezone.now() + datetime.timedelta(days=40))
    overdue = HistoryEntry.objects.get(rollin=order.rollin, action="overdue")
    assert overdue.reason == ""  # a key and parameters, not German text
    client.force_login(coordination)
    url = reverse("dashboard:order_detail", args=[order.number])
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Frist der Stufe „Bestellt“ überschritten" in german
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Deadline of stage “Ordered” exceeded" in english
    assert "überschritten" not in english
    coordination.refresh_from_db()
    assert coordination.language == "en"  # stored for the e-mails


def test_outbox_rows_are_in_the_recipients_language() -> None:
    order = order_with_rollin()
    StaffFactory(authority=order.authority, language="en")
    rollin_hold(rollin_id=order.rollin.pk, actor=coordinator_for(order), reason="Rückfrage")
    languages = set(
        OutgoingEmail.objects.filter(template="rollin_status").values_list("language", flat=True)
    )
    assert languages == {"de", "en"}
