"""In-portal notifications: what is now someone's to do."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.localized import localized_value


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("Text"), max_length=500)
    # The same notification in English (portal.services.notify writes both): a notification is
    # read in the reader's language, which the writer cannot know.
    text_en = models.CharField(_("Text (englisch)"), max_length=500, blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # Keyed so that a task run twice notifies once.
    dedup_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedup_key"],
                condition=~models.Q(dedup_key=""),
                name="notification_dedup",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return localized_value(self, "text")


class OutgoingEmail(models.Model):
    """An e-mail in the outbox: written in the transaction of the change it reports, sent
    afterwards by the worker (portal.tasks.send_email), so a mail server that is down delays a
    mail but never loses it and never fails the request that caused it.

    The row holds the rendered message, so a retry days later sends what was true when the
    change happened, and nothing a user entered (a comment, a reason) depends on templates or
    data that may have changed since."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        SENT = "sent", _("Versendet")
        FAILED = "failed", _("Aufgegeben")

    template = models.CharField(_("Vorlage"), max_length=100)
    language = models.CharField(_("Sprache"), max_length=10)
    # TextFields throughout: a subject or body is never cut to fit a column.
    subject = models.TextField(_("Betreff"))
    text_body = models.TextField(_("Text"))
    html_body = models.TextField(_("HTML"), blank=True)
    from_email = models.TextField(_("Absender"))
    recipients = models.JSONField(_("Empfänger"))
    reply_to = models.JSONField(_("Antwort an"), default=list, blank=True)
    # Text attachments (an iCalendar invitation): [{"filename", "content", "mimetype"}].
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    # Fixed when the row is written, so a message sent twice after a crash between the mail
    # server's acceptance and our "sent" (the one window no outbox can close) carries the same
    # Message-ID and mail clients show it once.
    message_id = models.CharField(max_length=255, unique=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    # When the sweep should step in if no task has sent the row by then: shortly after it is
    # written (its task may be lost), after a failure when its retry is due, after a claim
    # when the claim expires (the worker may have died mid-send).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Ausgehende E-Mail")
        verbose_name_plural = _("Ausgehende E-Mails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="outgoing_email_valid_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outgoing_email_sent_has_sent_at",
            ),
        ]
        # The sweep's query: pending rows that are due.
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class Digest(models.Model):
    """The one reminder e-mail a person gets on a day: reminders (overdue stages, steps that
    wait on them) are collected as DigestEntry rows and sent together, at most once per person
    and day (the unique constraint makes a second run of the digest task a no-op)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("Tag"))
    email = models.ForeignKey(
        OutgoingEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("Tägliche Übersicht")
        verbose_name_plural = _("Tägliche Übersichten")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_user_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class DigestEntry(models.Model):
    """One reminder waiting for the person's next digest (digest empty until it is sent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_entries"
    )
    text = models.CharField(_("Text"), max_length=500)
    text_en = models.CharField(_("Text (englisch)"), max_length=500, blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    # Keyed so that the sweep run twice, or an order reminded and flagged overdue in one
    # sweep, is listed once.
    dedup_key = models.CharField(max_length=200)
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "dedup_key"], name="digest_entry_dedup")
        ]
        indexes = [models.Index(fields=["digest", "user"])]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return localized_value(self, "text")
