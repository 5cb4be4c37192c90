"""The daily digest: reminders collected per person and sent as at most one e-mail a day.

Reminders repeat what a person already knows is theirs (the step was announced when it became
theirs); sent one by one, a sweep over many overdue orders buries the news under them. The
sweep records them (digest_entry_add); beat sends them (digests_send).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from portal.models import Digest, DigestEntry
from portal.services import Message, email_send


def digest_entry_add(*, users: Iterable[Any], text: Message, url: str, dedup_key: str) -> int:
    """A reminder for each user's next digest; a repeated dedup_key adds nothing."""
    german, english = text.render("de"), text.render("en")
    added = 0
    for user in users:
        _entry, created = DigestEntry.objects.get_or_create(
            user=user,
            dedup_key=dedup_key,
            defaults={"text": german, "text_en": english, "url": url},
        )
        added += created
    return added


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Send each person with waiting reminders their digest of today, unless they have had it.

    Safe to run twice or in two workers at once: the digest row of (person, day) is unique, and
    it is written in the transaction that claims the entries and puts the e-mail in the outbox.
    Not before DIGEST_SEND_HOUR (local time), so the digest arrives at the start of the working
    day; reminders recorded after today's digest wait for tomorrow's."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.DIGEST_SEND_HOUR:
        return 0
    day = local.date()
    waiting = (
        DigestEntry.objects.filter(digest__isnull=True)
        .exclude(user__digests__day=day)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return sum(_digest_send(user_id=user_id, day=day) for user_id in list(waiting))


def _digest_send(*, user_id: int, day: datetime.date) -> bool:
    user = get_user_model().objects.get(pk=user_id)
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, day=day)
            entries = list(
                DigestEntry.objects.select_for_update().filter(user=user, digest__isnull=True)
            )
            if not entries or not user.is_active or not user.email:
                raise _NothingToSend
            DigestEntry.objects.filter(pk__in=[e.pk for e in entries]).update(digest=digest)
            digest.email = _digest_email(user, day, entries)
            digest.save(update_fields=["email"])
    except (IntegrityError, _NothingToSend):
        return False  # sent today already (another run), or nothing left to send
    return True


class _NothingToSend(Exception):
    """Rolls back the digest row of a person with nothing (or no address) to send to."""


def _digest_email(user: Any, day: datetime.date, entries: list[DigestEntry]) -> Any:
    language = getattr(user, "language", "") or "de"
    with translation.override(language):
        lines = [
            {"text": entry.display_text, "url": f"{settings.PORTAL_BASE_URL}{entry.url}"}
            for entry in entries
        ]
    return email_send(
        to=[user.email],
        template="digest",
        context={"day": day, "entries": lines, "count": len(lines)},
        language=language,
    )
