"""Forms for joining an authority and for the coordinators' decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import authorities_invitable_by

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Authority


class AuthoritySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Behörde suchen"),
        min_length=2,
        max_length=100,
        help_text=_("Name, amtlicher Gemeindeschlüssel (AGS) oder Postleitzahl"),
    )


class MembershipRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Koordination (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel Ihre Funktion in der Verwaltung."),
    )


class MembershipRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Ablehnung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der eingeladenen Person"))
    authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        label=_("Behörde"), queryset=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authority = cast("forms.ModelChoiceField[Authority]", self.fields["authority"])
        authority.queryset = authorities_invitable_by(user).order_by("name")
