"""The catalog's search and filter form (GET, so every result page is a bookmarkable URL)."""

from __future__ import annotations

from typing import TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Fachverfahren, Prerequisite, Service
from geo.models import Level


class ServiceFilters(TypedDict):
    """The keyword arguments of selectors.service_list that the form fills."""

    query: str
    level: str
    status: str
    prerequisite: Prerequisite | None
    fachverfahren: Fachverfahren | None


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Zuständige Ebene"),
        required=False,
        choices=[("", _("Alle Ebenen")), *Level.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *Service.Status.choices]
    )
    prerequisite = forms.ModelChoiceField(
        label=_("Voraussetzung"),
        required=False,
        queryset=Prerequisite.objects.all(),
        to_field_name="code",
        empty_label=_("Alle Voraussetzungen"),
    )
    fachverfahren = forms.ModelChoiceField(
        label=_("Fachverfahren"),
        required=False,
        queryset=Fachverfahren.objects.all(),
        empty_label=_("Alle Fachverfahren"),
    )

    def filters(self) -> ServiceFilters:
        """Arguments for selectors.service_list; an invalid field is ignored, not an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "level": data.get("level") or "",
            "status": data.get("status") or "",
            "prerequisite": data.get("prerequisite"),
            "fachverfahren": data.get("fachverfahren"),
        }
