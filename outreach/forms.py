"""Forms of the training-session pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from geo.models import State
from outreach.models import SeatBooking, TrainingSession
from portal.fields import BoundedModelChoiceField


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
        self.fields["state"].queryset = states  # type: ignore[attr-defined]
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
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
