"""Forms for joining an authority and for the coordinators' decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import authorities_invitable_by
from portal.fields import BoundedModelChoiceField

if TYPE_CHECKING:
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
    authority: forms.ModelChoiceField[Authority] = BoundedModelChoiceField(
        label=_("Behörde"), queryset=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authority = cast("forms.ModelChoiceField[Authority]", self.fields["authority"])
        authority.queryset = authorities_invitable_by(user).order_by("name")


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves: name and phone. E-mail addresses and the
    password have allauth's own pages (they need confirmation and re-authentication)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        labels = {"first_name": _("Vorname"), "last_name": _("Nachname")}
        help_texts = {
            "phone": _("Für Rückfragen der Koordination, zum Beispiel 0921 123456-78."),
        }
        widgets = {
            "first_name": forms.TextInput({"autocomplete": "given-name"}),
            "last_name": forms.TextInput({"autocomplete": "family-name"}),
            "phone": forms.TextInput({"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A name is what others see of this person; it may not be emptied again.
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
