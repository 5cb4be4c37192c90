"""allauth adapter: e-mails in the user's language, links to the configured portal URL."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:  # type: ignore[no-untyped-def]
        # Anyone may sign up; ordering needs an approved membership, not just an account.
        return True
