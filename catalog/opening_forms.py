"""Forms of the opening flow: one small form per step, each posted on its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Fachverfahren, FundingProgramme, Service
from geo.models import State
from portal.fields import BoundedModelChoiceField


class OfferingForm(forms.Form):
    service = BoundedModelChoiceField(
        label=_("Leistung"), queryset=Service.objects.filter(status=Service.Status.AVAILABLE)
    )
    fachverfahren = forms.ModelMultipleChoiceField(
        label=_("Fachverfahren im Land"),
        queryset=Fachverfahren.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mit welchen Fachverfahren die Behörden des Landes die Leistung nutzen."),
    )
    funding_programme = forms.ModelChoiceField(
        label=_("Förderprogramm im Land"),
        queryset=FundingProgramme.objects.none(),
        required=False,
        empty_label=_("keine Förderung"),
    )

    def __init__(self, *args: Any, state: State, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = self.fields["funding_programme"]
        assert isinstance(programmes, forms.ModelChoiceField)
        # A state's own programme, or one that is not tied to a state.
        programmes.queryset = FundingProgramme.objects.filter(
            state__isnull=True
        ) | FundingProgramme.objects.filter(state=state)


class ContractorForm(forms.Form):
    general_contractor = forms.CharField(label=_("Generalunternehmer"), max_length=200)


class CoordinatorForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse der Koordination"))


class TargetForm(forms.Form):
    target_services = forms.IntegerField(
        label=_("Ziel: Leistungen flächendeckend"), min_value=1, max_value=100
    )
    target_date = forms.DateField(
        label=_("Zieldatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
