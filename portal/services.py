"""Cross-app services: in-portal notifications and templated e-mails."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator

from portal.models import Notification

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
        except IntegrityError:
            continue  # already notified under this key (a task ran twice)
    return created


def email_send(
    *,
    to: Iterable[str],
    template: str,
    context: dict[str, Any],
    language: str = "de",
    reply_to: Iterable[str] = (),
) -> None:
    """Send `templates/emails/<template>_subject.txt`, `_body.txt` and `_body.html`.

    Rendered in `language` (German by default: the recipients are German authorities).
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"portal_url": settings.PORTAL_BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text_body = render_to_string(f"emails/{template}_body.txt", context)
        html_body = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text_body,
        to=recipients,
        reply_to=list(reply_to),
    )
    message.attach_alternative(html_body, "text/html")
    message.send()
