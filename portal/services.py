"""Cross-app services: in-portal notifications and templated e-mails (through the outbox)."""

from __future__ import annotations

import datetime
import functools
import logging
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from kombu.exceptions import OperationalError as KombuOperationalError

from portal.models import Notification, OutgoingEmail
from portal.user_version import users_changed

logger = logging.getLogger(__name__)

NOTIFICATION_LENGTH = 500  # Notification.text's max_length: a long reason is cut, not refused


@dataclass(frozen=True)
class Message:
    """A notification text to be written in every language of the portal.

    `template` is a gettext_lazy string with %(name)s placeholders; each parameter is turned
    into text in the language being written, so model instances whose __str__ follows the
    language (stage and checklist labels) read right in both."""

    template: Any
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str) -> str:
        with translation.override(language):
            values = {name: str(value) for name, value in self.params.items()}
            return Truncator(str(self.template) % values).chars(NOTIFICATION_LENGTH)


def notification_text(template: Any, **params: Any) -> Message:
    return Message(template, params)


def notify(*, users: Iterable[Any], text: Message | str, url: str = "", dedup_key: str = "") -> int:
    """Create an in-portal notification per user, in German and English (a Message; a plain
    text is German only); a repeated dedup_key notifies only once."""
    if isinstance(text, Message):
        german, english = text.render("de"), text.render("en")
    else:
        german, english = Truncator(text).chars(NOTIFICATION_LENGTH), ""
    created = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    user=user, text=german, text_en=english, url=url, dedup_key=dedup_key
                )
            created += 1
            notifications_changed(user.pk)
        except IntegrityError:
            continue  # already notified under this key (a task ran twice)
    return created


def notifications_changed(user_id: int) -> None:
    """Move the user's version (portal.user_version) when the transaction commits: the unread
    count (portal.selectors) is kept under it, and the next page counts again."""
    users_changed([user_id])


def notifications_mark_read(*, user_id: int) -> int:
    """Mark all of the user's notifications read."""
    marked = Notification.objects.filter(user_id=user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notifications_changed(user_id)
    return marked


def email_send(
    *,
    to: Iterable[str],
    template: str,
    context: dict[str, Any],
    language: str = "de",
    reply_to: Iterable[str] = (),
    attachments: Iterable[tuple[str, str, str]] = (),
) -> OutgoingEmail | None:
    """Put `templates/emails/<template>_subject.txt`, `_body.txt` and `_body.html` in the outbox.

    Call it inside the transaction of the change the e-mail reports: the row commits with the
    change or not at all, and the worker sends it after the commit (see email_deliver).
    Rendered now, in `language` (German by default: the recipients are German authorities).
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    context = {"portal_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = render_text(f"emails/{template}_subject.txt", context).strip()
        text_body = render_text(f"emails/{template}_body.txt", context)
        html_body = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text_body, to=recipients, reply_to=list(reply_to)
    )
    message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments:  # text only: the row stores them as JSON
        message.attach(filename, content, mimetype)
    return email_queue(message=message, template=template, language=language)


def email_send_to_users(
    *, users: Iterable[Any], template: str, context: dict[str, Any]
) -> list[OutgoingEmail]:
    """email_send once per language among `users` (User.language), each in that language: the
    portal writes to people without a request, so it cannot ask the browser."""
    by_language: dict[str, list[str]] = {}
    for user in users:
        by_language.setdefault(getattr(user, "language", "") or "de", []).append(user.email)
    emails = [
        email_send(to=addresses, template=template, context=context, language=language)
        for language, addresses in sorted(by_language.items())
    ]
    return [e for e in emails if e is not None]


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """A plain-text template without HTML escaping: a name "Müller & Söhne" must arrive as
    written in a subject or text part, not as "Müller &amp; Söhne" (the HTML part escapes)."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    return str(engine.get_template(template_name).render(Context(context, autoescape=False)))


def email_queue(*, message: EmailMessage, template: str, language: str) -> OutgoingEmail:
    """Put an e-mail rendered elsewhere (allauth's confirmation and password mails) in the
    outbox; sent after the surrounding transaction commits, like those of email_send."""
    body = str(message.body)  # rendered text; the stubs also allow a lazy string
    text_body = body
    alternatives = getattr(message, "alternatives", [])
    html_body = next((str(c) for c, mimetype in alternatives if mimetype == "text/html"), "")
    if message.content_subtype == "html":  # an HTML-only message: keep a text part too
        text_body, html_body = strip_tags(body), body
    email = OutgoingEmail.objects.create(
        template=template,
        language=language,
        subject=str(message.subject),
        text_body=text_body,
        html_body=html_body,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        recipients=list(message.to),
        reply_to=list(message.reply_to),
        attachments=[
            {"filename": name, "content": str(content), "mimetype": mimetype}
            for name, content, mimetype in getattr(message, "attachments", [])
            if isinstance(content, str)
        ],
        message_id=make_msgid(domain=_message_id_domain()),
        next_attempt_at=timezone.now()
        + datetime.timedelta(seconds=settings.EMAIL_OUTBOX_SWEEP_GRACE_SECONDS),
    )
    if settings.EMAIL_OUTBOX_PUBLISH:
        transaction.on_commit(functools.partial(_email_publish, email.pk))
    return email


def _message_id_domain() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "digitalmarkt.invalid"


def _email_publish(email_id: int) -> None:
    """Hand the row to the worker; a broker outage must not fail the committed request."""
    from portal.tasks import send_email  # tasks imports services

    try:
        send_email.delay(email_id)
    except KombuOperationalError:
        # The row is the source of truth: the sweep enqueues it once the broker is back.
        logger.warning("Broker unreachable; the sweep will send e-mail %s.", email_id)


def email_retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter: after the n-th failed attempt, between half and all of
    base·2^(n-1), capped. The jitter keeps a queue of mails that failed together (the server
    was down) from hitting the server together when it is back."""
    ceiling: float = min(
        settings.EMAIL_OUTBOX_RETRY_MAX_SECONDS,
        settings.EMAIL_OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def email_deliver(*, email_id: int) -> float | None:
    """Send one outbox row, if it is still to be sent and nobody else is sending it.

    Claim → send → record, as the roll-in worker does: the claim is a conditional UPDATE
    (committed before the slow SMTP conversation, so no transaction waits on the mail server),
    and only the claim's holder may mark the row sent. A sent row is never claimed again.
    Returns the seconds until the next attempt after a failure, None when there is nothing
    more to do (sent, given up, or someone else's)."""
    token = _email_claim(email_id)
    if token is None:
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _email_message(email).send()
    except Exception as error:  # any failure of the send is one failed attempt, to retry
        return _email_record_failure(email, token, error)
    OutgoingEmail.objects.filter(pk=email_id, claim_token=token).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        claim_token=None,
        next_attempt_at=None,
        last_error="",
    )
    return None


def _email_claim(email_id: int) -> uuid.UUID | None:
    now = timezone.now()
    token = uuid.uuid4()
    # Longer than EMAIL_TIMEOUT, so a claim outlives any send that is still running.
    until = now + datetime.timedelta(seconds=settings.EMAIL_OUTBOX_CLAIM_SECONDS)
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(
            claimed_until=until,
            claim_token=token,
            next_attempt_at=until,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _email_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email,
        to=email.recipients,
        reply_to=email.reply_to,
        headers={"Message-ID": email.message_id},
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _email_record_failure(email: OutgoingEmail, token: uuid.UUID, error: Exception) -> float | None:
    email.refresh_from_db(fields=["attempts"])
    error_text = f"{type(error).__name__}: {error}"
    if email.attempts >= settings.EMAIL_OUTBOX_MAX_ATTEMPTS:
        # Given up: the row stays for operators (admin, filter "Aufgegeben"), who can send it
        # again once the cause is fixed.
        logger.error("E-mail %s given up after %s attempts: %s", email.pk, email.attempts, error)
        OutgoingEmail.objects.filter(pk=email.pk, claim_token=token).update(
            status=OutgoingEmail.Status.FAILED,
            claimed_until=None,
            claim_token=None,
            next_attempt_at=None,
            last_error=error_text,
        )
        return None
    delay = email_retry_delay(email.attempts)
    logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
    OutgoingEmail.objects.filter(pk=email.pk, claim_token=token).update(
        claimed_until=None,
        claim_token=None,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
        last_error=error_text,
    )
    return delay


def email_sweep(*, batch: int = 500) -> list[int]:
    """Enqueue the pending rows that are due: their task was lost (broker down at commit, a
    delayed retry dropped) or their worker died mid-send. Beat runs it every minute; a row
    enqueued twice is still sent once (the claim)."""
    from portal.tasks import send_email

    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    for email_id in due:
        send_email.delay(email_id)
    return due


def email_retry_now(*, email_ids: Iterable[int]) -> int:
    """Operators: send given-up or waiting rows again now (a sent row stays sent)."""
    ids = list(email_ids)
    count = OutgoingEmail.objects.filter(
        pk__in=ids, status__in=(OutgoingEmail.Status.PENDING, OutgoingEmail.Status.FAILED)
    ).update(status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    for email_id in ids:
        transaction.on_commit(functools.partial(_email_publish, email_id))
    return count
