"""Forms of the coordination pages (the filters are in dashboard.filters)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from catalog.models import Service
from dashboard.models import BulkJob
from geo.models import District, Region, State
from portal.choices import keep_choices
from portal.fields import BoundedModelChoiceField, is_database_integer
from reports.white_spots import SORTS, Area
from rollin.figure_versions import reference_version

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import QueryDict


class BulkActionForm(forms.Form):
    SCOPE_SELECTED = "selected"
    SCOPE_ALL = "all"

    action = forms.ChoiceField(label=_("Aktion"), choices=BulkJob.Action.choices)
    scope = forms.ChoiceField(
        label=_("Anwenden auf"),
        choices=[
            (SCOPE_SELECTED, _("die ausgewählten Bestellungen")),
            (SCOPE_ALL, _("alle gefilterten Bestellungen")),
        ],
        initial=SCOPE_SELECTED,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Grund (für Zurückstellen und Fortsetzen)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assignee = forms.ModelChoiceField(
        label=_("Zuweisen an"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("bitte wählen"),
    )
    # The list's filter query string, so "all filtered" means what the user saw.
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        user: User,
        assignees: list[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        states = user.states.all()
        people = User.objects.filter(role=Role.COORDINATOR, is_active=True)
        if not user.is_operator:
            people = people.filter(states__in=states)
        field = cast("forms.ModelChoiceField[User]", self.fields["assignee"])
        field.queryset = people.distinct().order_by("last_name", "email")
        if assignees is not None:
            # The list page already read the same people for its filter: show those instead
            # of a second query (the queryset still validates a submitted choice).
            field.choices = [("", field.empty_label), *((u.pk, str(u)) for u in assignees)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        # Checkbox values (`order` ids); anything the user may not see is dropped by the service.
        data["order"] = [
            int(v) for v in cast("QueryDict", self.data).getlist("order") if str(v).isdigit()
        ]
        action = data.get("action")
        if action == BulkJob.Action.HOLD and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Bitte geben Sie einen Grund für die Zurückstellung an."))
        if action == BulkJob.Action.RESUME and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Bitte geben Sie einen Grund für die Fortsetzung an."))
        if action == BulkJob.Action.ASSIGN and data.get("assignee") is None:
            self.add_error("assignee", _("Bitte wählen Sie, wem zugewiesen werden soll."))
        if data.get("scope") == self.SCOPE_SELECTED and not data.get("order"):
            self.add_error(None, _("Bitte wählen Sie mindestens eine Bestellung aus."))
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        params: dict[str, Any] = {"query": data.get("query", "")}
        if data["action"] in (BulkJob.Action.HOLD, BulkJob.Action.RESUME):
            params["reason"] = data["reason"].strip()
        if data["action"] == BulkJob.Action.ASSIGN:
            params["assignee_id"] = data["assignee"].pk
        return params


class WhiteSpotForm(forms.Form):
    """The white-spot page's filter (GET). Areas offered are the user's states' only; a region
    or district that does not lie in the chosen state or region is an error, not a silent
    empty list."""

    REGISTERED_CHOICES = [
        ("", _("alle")),
        ("yes", _("mit registrierten Beschäftigten")),
        ("no", _("ohne registrierte Beschäftigte")),
    ]

    service = BoundedModelChoiceField(
        label=_("Leistung"), queryset=Service.objects.none(), empty_label=None
    )
    state = BoundedModelChoiceField(
        label=_("Land"), queryset=State.objects.none(), required=False, empty_label=_("alle")
    )
    region = BoundedModelChoiceField(
        label=_("Regierungsbezirk"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("alle"),
    )
    district = BoundedModelChoiceField(
        label=_("Kreis"), queryset=District.objects.none(), required=False, empty_label=_("alle")
    )
    registered = forms.ChoiceField(
        label=_("Registrierung"), choices=REGISTERED_CHOICES, required=False
    )
    q = forms.CharField(label=_("Suche (Name, Schlüssel)"), max_length=100, required=False)
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        choices=[(key, key) for key in SORTS],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, data: QueryDict, *, states: QuerySet[State], services: QuerySet[Service]):
        super().__init__(data)
        self.states = states
        service_field = cast("forms.ModelChoiceField[Service]", self.fields["service"])
        service_field.queryset = services
        state_field = cast("forms.ModelChoiceField[State]", self.fields["state"])
        state_field.queryset = states
        chosen_state, chosen_region = str(data.get("state", "")), str(data.get("region", ""))
        regions = Region.objects.filter(state__in=states).order_by("name")
        districts = District.objects.filter(state__in=states).order_by("name")
        # Offer the areas of the chosen state (and region) only: the lists stay short
        # enough to choose from without JavaScript.
        if is_database_integer(chosen_state):
            regions = regions.filter(state_id=int(chosen_state))
            districts = districts.filter(state_id=int(chosen_state))
        if is_database_integer(chosen_region):
            districts = districts.filter(region_id=int(chosen_region))
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = regions
        cast("forms.ModelChoiceField[District]", self.fields["district"]).queryset = districts

    def offer_kept_choices(self) -> None:
        """For the page: the lists of services, states and areas from the process's memory
        (portal.choices). The spreadsheet exports read none."""
        keep_choices(self, ("service", "state", "region", "district"), reference_version())

    def area(self) -> Area:
        """The area the valid fields describe; the user's states when none is chosen."""
        data = getattr(self, "cleaned_data", {})
        state: State | None = data.get("state")
        states = [state] if state is not None else list(self.states)
        return Area(states=states, region=data.get("region"), district=data.get("district"))

    def registered_filter(self) -> bool | None:
        value = getattr(self, "cleaned_data", {}).get("registered", "")
        return {"yes": True, "no": False}.get(value)
