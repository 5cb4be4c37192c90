"""Forms of the checkout and the order pages. Rules live in orders.services; forms ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from catalog.selectors import offered_fachverfahren
from orders.funding import funding_error
from orders.models import Order
from orders.services import NON_FIELD, OrderLine, order_line_errors

if TYPE_CHECKING:
    from accounts.models import User

OTHER = "other"
DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DRAFT_FIELDS = (
    "fachverfahren",
    "fachverfahren_other",
    "contact_name",
    "contact_email",
    "contact_phone",
    "desired_golive",
    "funding_requested",
)


class CheckoutServiceForm(forms.Form):
    """One short form per service in the basket."""

    fachverfahren = forms.ChoiceField(
        label=_("Eingesetztes Fachverfahren"), widget=forms.RadioSelect
    )
    fachverfahren_other = forms.CharField(
        label=_("Anderes Fachverfahren"),
        required=False,
        max_length=200,
        help_text=_("Nur ausfüllen, wenn Sie „Anderes Fachverfahren“ gewählt haben."),
    )
    contact_name = forms.CharField(label=_("Ansprechperson (Name)"), max_length=150)
    contact_email = forms.EmailField(label=_("E-Mail der Ansprechperson"))
    contact_phone = forms.CharField(label=_("Telefon der Ansprechperson"), max_length=40)
    desired_golive = forms.DateField(
        label=_("Gewünschter Start des Wirkbetriebs"),
        input_formats=DATE_FORMATS,
        help_text=_("Format: TT.MM.JJJJ, zum Beispiel 01.03.2027."),
        widget=forms.DateInput(format="%d.%m.%Y"),
    )
    funding_requested = forms.BooleanField(label=_("Förderung beantragen"), required=False)

    def __init__(self, *args: Any, service: Service, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.user = user
        # The Fachverfahren offered in the authority's state (catalog.opening).
        self.offered = offered_fachverfahren(
            service, user.authority.state_id if user.authority else None
        )
        cast(forms.ChoiceField, self.fields["fachverfahren"]).choices = [
            (str(fv.pk), str(fv)) for fv in self.offered
        ] + [(OTHER, _("Anderes Fachverfahren"))]
        # Offered only where it can succeed: no programme, or a grant below its minimum (a
        # 0 € service), disables it and says why.
        why_not = funding_error(service.funding_programme, service.cost_items.all())
        if why_not is not None:
            self.fields["funding_requested"].disabled = True
            self.fields["funding_requested"].help_text = why_not

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if self.errors:
            return data
        line = self.order_line()
        for field, messages in order_line_errors(user=self.user, line=line).items():
            for message in messages:
                self.add_error(None if field == NON_FIELD else field, message)
        return data

    def order_line(self) -> OrderLine:
        data = self.cleaned_data
        chosen = data["fachverfahren"]
        fachverfahren = None
        if chosen != OTHER:
            fachverfahren = next(fv for fv in self.offered if str(fv.pk) == chosen)
        return OrderLine(
            service=self.service,
            fachverfahren=fachverfahren,
            fachverfahren_other=data["fachverfahren_other"] if fachverfahren is None else "",
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            desired_golive=data["desired_golive"],
            funding_requested=bool(data.get("funding_requested")),
        )


def draft_from_post(data: Any) -> dict[str, str]:
    """What the user typed, as text, valid or not."""
    draft = {name: data.get(name, "") for name in DRAFT_FIELDS}
    draft["funding_requested"] = "on" if data.get("funding_requested") else ""
    return draft


# The checkout's state in the session: the key of the submission in progress (a double submit
# finds its orders by it) and the numbers of the orders just placed (the confirmation page).
SESSION_CHECKOUT_KEY = "orders_checkout_key"
SESSION_LAST_CHECKOUT = "orders_last_checkout"


class CheckoutReviewForm(forms.Form):
    checkout_key = forms.UUIDField(widget=forms.HiddenInput)
    terms_accepted = forms.BooleanField(
        label=_("Ich akzeptiere die Nutzungsbedingungen für die Nachnutzung der Leistungen."),
        required=False,
    )


class OrderContactForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["contact_name", "contact_email", "contact_phone"]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Stornierung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
