"""The e-mail outbox with a real Celery worker (Redis, the PostgreSQL test database) and a
real SMTP server on a loopback port that is down at first.

A mail whose send fails is retried by the worker's task (backoff with jitter) until the server
is back; it arrives exactly once, whether the change it reports was a user's request or one of
the worker's own steps.
"""

from __future__ import annotations

import pytest

from digitalmarkt.celery import app as celery_app
from orders.models import Order
from portal.models import Notification, OutgoingEmail
from portal.services import email_deliver, email_sweep
from tests.factories import StaffFactory
from tests.factories_rollin import coordinator_for, default_template, order_with_rollin
from tests.orders.test_views import placed_order
from tests.portal.smtp import SmtpServer
from tests.rollin import worker_harness
from tests.rollin.test_worker import complete_manual_items_until
from tests.rollin.worker_harness import start_worker, wait_until

worker_env = worker_harness.worker_env
workers = worker_harness.workers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.real_outbox]

# Retries every second or two, and no giving up, so the test waits for the server, not the
# backoff. The worker's clock for retries is the row's, not the test's.
RETRY_FAST = {
    "EMAIL_OUTBOX_RETRY_BASE_SECONDS": "0.5",
    "EMAIL_OUTBOX_RETRY_MAX_SECONDS": "2",
    "EMAIL_OUTBOX_MAX_ATTEMPTS": "1000",
}


def failed_while_down(**lookup: object) -> bool:
    """The worker tried to send the row and the server refused it."""
    return OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, attempts__gte=1, **lookup
    ).exists()


def assert_sent_once(smtp: SmtpServer, email: OutgoingEmail) -> None:
    """Delivered once, and a task or sweep run again sends nothing more."""
    email_deliver(email_id=email.pk)
    email_sweep()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m["Message-ID"] for m in smtp.messages].count(email.message_id) == 1
    # Every row the server accepted is marked sent: nothing will be sent twice later. The
    # worker may be delivering another of the order's e-mails right now: it marks the row
    # in its own transaction just after the server accepted it.
    wait_until(
        lambda: (
            not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).filter(
                message_id__in=[m["Message-ID"] for m in smtp.messages]
            )
        ),
        timeout=30,
        what="every e-mail the server accepted to be marked sent",
    )


def test_a_checkout_with_the_mail_server_down_succeeds_and_its_mail_arrives_once(
    client, workers, worker_env, smtp_server: SmtpServer
) -> None:
    default_template()
    workers.append(
        start_worker(
            celery_app.conf.broker_url,
            name="mailer",
            extra_env={**worker_env, **smtp_server.environment(), **RETRY_FAST},
        )
    )
    staff = StaffFactory()
    order = placed_order(staff, client)  # raises on a 500 (the test client re-raises)

    assert Order.objects.filter(pk=order.pk).exists()
    wait_until(
        lambda: failed_while_down(template="order_confirmation"),
        timeout=60,
        what="the worker's first attempt to fail",
    )
    smtp_server.start()
    wait_until(
        lambda: smtp_server.with_subject(order.number) != [],
        timeout=60,
        what="the confirmation to arrive once the server is back",
    )
    assert_sent_once(smtp_server, OutgoingEmail.objects.get(template="order_confirmation"))


def test_a_mail_of_a_worker_step_with_the_server_down_arrives_once_it_is_back(
    workers, worker_env, smtp_server: SmtpServer
) -> None:
    workers.append(
        start_worker(
            celery_app.conf.broker_url,
            name="mailer",
            extra_env={**worker_env, **smtp_server.environment(), **RETRY_FAST},
        )
    )
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    # The people do their items; the worker runs the automatic ones (Anbindung to Test) and then
    # tells the staff that "Eingang des Testantrags bestätigen" is theirs: a notification
    # and an e-mail written by the worker's step, while the mail server is down.
    complete_manual_items_until(order, coordinator, stop_before="eingang_bestaetigen")
    assert Notification.objects.filter(
        user=order.placed_by, dedup_key__contains=":eingang_bestaetigen:todo:"
    ).exists()
    worker_step = {"template": "rollin_todo", "text_body__contains": "Eingang des Testantrags"}
    wait_until(
        lambda: failed_while_down(**worker_step),
        timeout=60,
        what="the worker's attempt to send its step's e-mail to fail",
    )
    smtp_server.start()
    email = OutgoingEmail.objects.get(**worker_step)
    wait_until(
        lambda: any(m["Message-ID"] == email.message_id for m in smtp_server.messages),
        timeout=60,
        what="the worker step's e-mail to arrive once the server is back",
    )
    assert_sent_once(smtp_server, email)
    [mail] = [m for m in smtp_server.messages if m["Message-ID"] == email.message_id]
    assert mail["To"] == order.placed_by.email
