"""The e-mail outbox against a real SMTP server on a loopback port, sent in this process.

Each e-mail is a row written in the transaction of the change it reports; after commit it is
sent through claim → send → record (here in-process, see tests/conftest.py; with the real
worker in test_outbox_worker.py). A mail server that is down delays a mail, never fails the
request, and a sent row is never sent again.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from portal import services
from portal.models import OutgoingEmail
from portal.services import email_deliver, email_retry_delay, email_send, email_sweep
from tests.factories import AuthorityFactory, CoordinatorFactory
from tests.orders.test_views import placed_order
from tests.portal.smtp import SmtpServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stage_template", "enqueued")]

CONFIRMATION = "ist eingegangen"  # "Ihre Bestellung DM-… ist eingegangen"


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The roll-in's and the sweep's tasks, recorded instead of queued."""
    from portal import tasks as portal_tasks
    from rollin import tasks as rollin_tasks

    calls: list[int] = []
    monkeypatch.setattr(rollin_tasks.advance, "delay", lambda order_id: None)
    monkeypatch.setattr(portal_tasks.send_email, "delay", calls.append)
    return calls


def outbox_email(authority=None, **changes) -> OutgoingEmail:
    authority = authority or AuthorityFactory()
    invitation_context = {
        "invitation": {"authority": authority, "email": "neu@gemeinde.example"},
        "path": "/einladung/x/",
    }
    email = email_send(
        to=["neu@gemeinde.example"], template="invitation", context=invitation_context
    )
    assert email is not None
    if changes:
        OutgoingEmail.objects.filter(pk=email.pk).update(**changes)
        email.refresh_from_db()
    return email


def test_checkout_with_the_mail_server_down_succeeds_and_the_mail_arrives_once_it_is_back(
    client, staff, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        order = placed_order(staff, client)  # the server is down: the attempt after commit fails

    assert Order.objects.filter(pk=order.pk).exists()
    confirmation = OutgoingEmail.objects.get(template="order_confirmation")
    assert confirmation.status == OutgoingEmail.Status.PENDING
    assert confirmation.attempts == 1 and "Connection refused" in confirmation.last_error
    assert confirmation.next_attempt_at is not None
    assert confirmation.next_attempt_at > timezone.now()

    smtp_server.start()
    assert email_deliver(email_id=confirmation.pk) is None  # the retry, once the server is back
    assert email_deliver(email_id=confirmation.pk) is None  # a task run twice

    [mail] = smtp_server.with_subject(CONFIRMATION)
    assert order.number in mail.get_body(("plain",)).get_content()
    assert order.number in mail.get_body(("html",)).get_content()
    assert mail["Message-ID"] == confirmation.message_id
    confirmation.refresh_from_db()
    assert confirmation.status == OutgoingEmail.Status.SENT and confirmation.attempts == 2
    assert len(smtp_server.messages) == 1


def test_an_email_commits_with_its_change_and_not_without_it() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_email()
        raise RuntimeError("the change fails after the e-mail was written")
    assert not OutgoingEmail.objects.exists()


def test_the_outbox_keeps_everything_the_user_entered(
    client, staff, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    order = placed_order(staff, client)
    coordinator = CoordinatorFactory(states=[order.authority.state])
    text = "Bitte prüfen: " + "ä" * 4900  # as long as the form allows, in German
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:order_comment_add", args=[order.number]), {"text": text})
    email = OutgoingEmail.objects.get(template="comment_added")
    assert text in email.text_body and email.recipients == [coordinator.email]
    [mail] = [m for m in mailoutbox if m.to == [coordinator.email]]
    assert text in mail.body


def test_a_sent_email_is_never_sent_again(smtp_server: SmtpServer, enqueued) -> None:
    smtp_server.start()
    email = outbox_email()
    assert email_deliver(email_id=email.pk) is None
    # Even due for the sweep and with an expired claim, it stays sent.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
        claimed_until=timezone.now() - datetime.timedelta(hours=1),
    )
    assert email_sweep() == []
    assert email_deliver(email_id=email.pk) is None
    assert len(smtp_server.messages) == 1


def test_a_row_claimed_by_another_task_is_left_to_it(smtp_server: SmtpServer) -> None:
    smtp_server.start()
    email = outbox_email()
    assert services._email_claim(email.pk) is not None  # another worker is sending it now
    assert email_deliver(email_id=email.pk) is None
    assert smtp_server.messages == []
    # That worker died: once its claim has expired, the row is sent.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert email_deliver(email_id=email.pk) is None
    assert len(smtp_server.messages) == 1


def test_failures_back_off_with_jitter_and_the_last_one_gives_up(
    smtp_server: SmtpServer, settings
) -> None:
    settings.EMAIL_OUTBOX_MAX_ATTEMPTS = 3
    email = outbox_email()
    first = email_deliver(email_id=email.pk)
    second = email_deliver(email_id=email.pk)
    assert first is not None and second is not None
    assert 15 <= first <= 30 and 30 <= second <= 60  # base 30 s, doubling, half of it random
    assert email_deliver(email_id=email.pk) is None
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == 3
    assert "Connection refused" in email.last_error


def test_the_retry_delay_is_capped_and_jittered(settings) -> None:
    settings.EMAIL_OUTBOX_RETRY_MAX_SECONDS = 3600
    delays = {email_retry_delay(30) for _ in range(20)}
    assert all(1800 <= delay <= 3600 for delay in delays) and len(delays) > 1


def test_the_sweep_enqueues_what_is_due_and_nothing_else(enqueued) -> None:
    past = timezone.now() - datetime.timedelta(minutes=5)
    future = timezone.now() + datetime.timedelta(minutes=5)
    lost_task = outbox_email(next_attempt_at=past)
    expired_claim = outbox_email(next_attempt_at=past, claimed_until=past)
    outbox_email(next_attempt_at=future)  # just written: its own task comes first
    outbox_email(next_attempt_at=future, claimed_until=future)  # being sent now
    outbox_email(status=OutgoingEmail.Status.FAILED, next_attempt_at=None)
    enqueued.clear()
    assert sorted(email_sweep()) == sorted([lost_task.pk, expired_claim.pk])
    assert sorted(enqueued) == sorted([lost_task.pk, expired_claim.pk])


def test_an_operator_sends_a_given_up_email_again(
    client, admin_user, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    email = outbox_email(status=OutgoingEmail.Status.FAILED, attempts=12, next_attempt_at=None)
    client.force_login(admin_user)
    url = reverse("admin:portal_outgoingemail_changelist")
    assert "Connection" not in client.get(url).content.decode()
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send_again", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_sign_up_with_the_mail_server_down_succeeds_and_its_confirmation_follows(
    client, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    from accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Nora",
                "last_name": "Neu",
                "email": "neu@gemeinde.example",
                "password1": "Ein-langes-Passwort-2026",
                "password2": "Ein-langes-Passwort-2026",
            },
        )
    assert response.status_code == 302
    assert User.objects.filter(email="neu@gemeinde.example").exists()
    confirmation = OutgoingEmail.objects.get(recipients=["neu@gemeinde.example"])
    assert confirmation.attempts == 1 and confirmation.status == OutgoingEmail.Status.PENDING

    smtp_server.start()
    email_deliver(email_id=confirmation.pk)
    [mail] = smtp_server.messages
    assert mail["To"] == "neu@gemeinde.example"
    assert "/konto/confirm-email/" in mail.get_body(("plain",)).get_content()


def test_the_admin_shows_no_body_where_a_password_link_could_be(client, admin_user) -> None:
    email = outbox_email()
    OutgoingEmail.objects.filter(pk=email.pk).update(text_body="geheimer-link", html_body="")
    client.force_login(admin_user)
    page = client.get(reverse("admin:portal_outgoingemail_change", args=[email.pk]))
    assert page.status_code == 200
    assert "geheimer-link" not in page.content.decode()
    assert email.subject in page.content.decode()


def test_with_publishing_off_the_row_is_written_and_nothing_is_handed_on(
    settings, django_capture_on_commit_callbacks
) -> None:
    # The demo writes its invented past this way and drops those rows before committing.
    settings.EMAIL_OUTBOX_PUBLISH = False
    authority = AuthorityFactory()  # its save has commit hooks of its own (rollin.apps)
    with django_capture_on_commit_callbacks() as held_back:
        email = outbox_email(authority)
    assert OutgoingEmail.objects.filter(pk=email.pk).exists()
    assert held_back == []
    settings.EMAIL_OUTBOX_PUBLISH = True
    with django_capture_on_commit_callbacks() as handed_on:
        outbox_email(authority)
    assert len(handed_on) == 1
