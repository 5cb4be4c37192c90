"""Forms of the training-session pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from geo.models import District, Region, State
from outreach.models import Campaign, SeatBooking, TrainingSession
from portal.fields import BoundedModelChoiceField


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """A model choice field of `form`, typed, to narrow its queryset to what the user may pick."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    state = BoundedModelChoiceField(label=_("Land"), queryset=State.objects.none())
    service = BoundedModelChoiceField(label=_("Leistung"), queryset=Service.objects.none())
    online_url = forms.URLField(label=_("Online-Link"), required=False, assume_scheme="https")

    class Meta:
        model = TrainingSession
        fields = [
            "state",
            "service",
            "starts_at",
            "ends_at",
            "online_url",
            "place",
            "capacity",
            "trainer",
        ]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(
        self, *args: Any, states: QuerySet[State], services: QuerySet[Service], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        _choices(self, "state").queryset = states
        _choices(self, "service").queryset = services
        if self.instance.pk:  # state and service of a published session stay
            del self.fields["state"]
            del self.fields["service"]

    def _post_clean(self) -> None:
        # Domain rules (date in the future, capacity and bookings) are the services'; the
        # model's own checks would report them a second time.
        pass


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Teilgenommen"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, bookings: list[SeatBooking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(booking.pk), booking.authority.name) for booking in bookings]

    def booking_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["attended"]]


class CampaignForm(forms.ModelForm):
    state = BoundedModelChoiceField(label=_("Land"), queryset=State.objects.none())
    service = BoundedModelChoiceField(label=_("Leistung"), queryset=Service.objects.none())
    region = BoundedModelChoiceField(
        label=_("Regierungsbezirk"), queryset=Region.objects.none(), required=False
    )
    district = BoundedModelChoiceField(
        label=_("Kreis"), queryset=District.objects.none(), required=False
    )
    stage_code = forms.ChoiceField(
        label=_("Stufe (nur für „wartet in einer Stufe“)"), required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "state",
            "service",
            "audience",
            "region",
            "district",
            "stage_code",
            "subject",
            "body",
            "deadline",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "body": _(
                "Platzhalter: {behoerde}, {leistung}, {einwohner} (nicht versorgte Einwohner), "
                "{frist}, {link} (persönlicher Link zur Registrierung oder Bestellung)."
            )
        }

    def __init__(
        self,
        *args: Any,
        states: QuerySet[State],
        services: QuerySet[Service],
        stages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "state").queryset = states
        _choices(self, "service").queryset = services
        _choices(self, "region").queryset = Region.objects.filter(state__in=states).order_by("name")
        _choices(self, "district").queryset = District.objects.filter(state__in=states).order_by(
            "name"
        )
        stage_field = self.fields["stage_code"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [("", "–"), *stages]
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        # Required and preset: no empty "---------" option before the audiences.
        audience.choices = Campaign.Audience.choices
        audience.initial = Campaign.Audience.WHITE_SPOTS
        deadline = self.fields["deadline"]
        assert isinstance(deadline, forms.DateField)
        deadline.input_formats = ["%Y-%m-%d"]

    def _post_clean(self) -> None:
        pass  # the service validates placeholders and the audience (one place for the rules)


class PreviewForm(forms.Form):
    authority = forms.ChoiceField(label=_("Vorschau für"))

    def __init__(self, *args: Any, authorities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(a.pk), a.name) for a in authorities]
