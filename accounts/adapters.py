"""allauth adapter: e-mails in the user's language, links to the configured portal URL."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Anyone may sign up; ordering needs an approved membership, not just an account.
        return True
