"""allauth adapter: e-mails in the user's language, links to the configured portal URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from portal.services import email_queue

if TYPE_CHECKING:
    from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Anyone may sign up; ordering needs an approved membership, not just an account.
        return True

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account starts in the language it was created in (its later e-mails too)."""
        user.language = (translation.get_language() or "de")[:2]
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's own send_mail, but through the outbox: a mail server that is down must not
        fail a sign-up or a password reset, and their mails are retried like every other."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        email_queue(
            message=message,
            template=template_prefix,
            language=translation.get_language() or "de",
        )
