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
