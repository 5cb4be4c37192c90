"""The sign-up form: allauth's, with the person's name, which the portal shows everywhere a
person appears (User.display_name). Kept apart from accounts.forms because allauth imports it
through ACCOUNT_FORMS while its own forms module loads."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class NamedSignupForm(SignupForm):
    first_name = forms.CharField(
        label=_("Vorname"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The name first, as on every paper form; allauth's adapter (save_user) stores both.
        self.order_fields(["first_name", "last_name"])

    def clean_first_name(self) -> str:
        return _required_text(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _required_text(self.cleaned_data["last_name"])


def _required_text(value: str) -> str:
    # CharField strips already; a name of blanks only is still no name.
    if not value.strip():
        raise forms.ValidationError(_("Bitte geben Sie einen Namen ein."))
    return value.strip()
