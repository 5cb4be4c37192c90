"""Forms of the people's side of the roll-in (complete, reject, hold, cancel)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from portal.uploads import validate_pdf_upload
from rollin.models import ItemDefinition, Rollin, RollinItem


class CompleteItemForm(forms.Form):
    """Confirm an item; no fields beyond the button."""

    def __init__(self, *args: Any, item: RollinItem, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, **kwargs)

    def item_data(self) -> dict[str, Any]:
        return {}


class DocumentItemForm(CompleteItemForm):
    document = forms.FileField(
        label=_("Dokument (PDF)"),
        help_text=_("Das unterschriebene Dokument als PDF-Datei."),
        error_messages={
            "required": _("Bitte laden Sie das unterschriebene Dokument als PDF-Datei hoch."),
            "empty": _("Die hochgeladene Datei ist leer."),
        },
    )

    def clean_document(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["document"]
        # Judged by parsing the content, not by name, first bytes or the browser's claim.
        validate_pdf_upload(upload)
        return upload


CONTACT_ROLES = [
    ("project_lead", _("Projektleitung")),
    ("technical", _("Technische Ansprechperson")),
    ("specialist", _("Fachliche Ansprechperson")),
    ("vendor", _("Ansprechperson beim Hersteller des Fachverfahrens")),
    ("data_protection", _("Datenschutzbeauftragte Person")),
]


class ContactsItemForm(CompleteItemForm):
    """Kick-off: the authority names its contacts (stored in item.data["contacts"])."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in CONTACT_ROLES:
            self.fields[f"{code}_name"] = forms.CharField(
                label=_("%(role)s: Name") % {"role": label}, max_length=150
            )
            self.fields[f"{code}_email"] = forms.EmailField(
                label=_("%(role)s: E-Mail") % {"role": label},
                error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein.")},
            )

    def item_data(self) -> dict[str, Any]:
        return {
            "contacts": {
                code: {
                    "name": self.cleaned_data[f"{code}_name"],
                    "email": self.cleaned_data[f"{code}_email"],
                }
                for code, _label in CONTACT_ROLES
            }
        }


def complete_form_class(item: RollinItem) -> type[CompleteItemForm]:
    if item.definition.requires_document:
        return DocumentItemForm
    if item.definition.role == ItemDefinition.Role.CONTACTS:
        return ContactsItemForm
    return CompleteItemForm


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Bitte geben Sie einen Grund an.")},
    )

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:  # several reason forms on one page need telling apart
            self.fields["reason"].label = label


HOLD_LABEL = _("Grund der Zurückstellung")
CANCEL_LABEL = _("Grund der Stornierung")
REJECT_LABEL = _("Grund der Zurückweisung")
RESUME_LABEL = _("Grund der Fortsetzung")


def hold_form(data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix="hold", label=HOLD_LABEL)


def resume_form(data: Any = None) -> ReasonForm:
    """Resuming (or retrying) is recorded with its reason, as holding is."""
    return ReasonForm(data, prefix="resume", label=RESUME_LABEL)


def cancel_form(data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix="cancel", label=CANCEL_LABEL)


def reject_form(item: RollinItem, data: Any = None) -> ReasonForm:
    return ReasonForm(data, prefix=f"reject{item.pk}", label=REJECT_LABEL)


def complete_form(item: RollinItem, data: Any = None, files: Any = None) -> CompleteItemForm:
    return complete_form_class(item)(data, files, item=item, prefix=f"item{item.pk}")


class OrderFilterForm(forms.Form):
    """ "Meine Bestellungen" filtered by the roll-in's status."""

    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = cast(forms.ChoiceField, self.fields["status"])
        # "Wartet auf Mitwirkung" says nothing about whom: the list's column says whose turn.
        waiting = _("Wartet auf Ihre Behörde oder die Koordination")
        status.choices = [
            ("", _("Alle")),
            *(
                (value, waiting if value == Rollin.Status.WAITING else label)
                for value, label in Rollin.Status.choices
            ),
        ]
