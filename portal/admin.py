from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.models import Notification, OutgoingEmail
from portal.services import email_retry_now


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["user__email", "text"]
    raw_id_fields = ["user"]


# The bodies stay out of the admin: allauth's mails carry sign-in and password-reset links,
# which would let whoever reads them act as the recipient.
EMAIL_BODIES = ("text_body", "html_body")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Operators see what is waiting or was given up, and why (last_error); the rows are the
    worker's to write, so they are read-only here except for "send again"."""

    list_display = ["subject", "recipient_list", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "recipients", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    exclude = EMAIL_BODIES
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields if f.name not in EMAIL_BODIES]

    @admin.display(description=_("Empfänger"))
    def recipient_list(self, email: OutgoingEmail) -> str:
        return ", ".join(email.recipients)

    @admin.action(description=_("Jetzt erneut senden"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        count = email_retry_now(email_ids=queryset.values_list("pk", flat=True))
        message = _("%(count)d E-Mails werden erneut gesendet.") % {"count": count}
        self.message_user(request, message, messages.INFO)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
