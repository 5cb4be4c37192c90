"""An empty select option says what it means, in the user's language, never "---------"."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from geo.models import State
from portal.fields import BoundedModelChoiceField
from tests import factories


class StateForm(forms.Form):
    required = BoundedModelChoiceField(queryset=State.objects.none())
    optional = BoundedModelChoiceField(queryset=State.objects.none(), required=False)
    explicit = BoundedModelChoiceField(
        queryset=State.objects.none(), required=False, empty_label="ganz Deutschland"
    )


def test_a_required_choice_asks_for_one_and_an_optional_one_offers_all():
    form = StateForm()
    assert str(form.fields["required"].empty_label) == "bitte wählen"  # type: ignore[attr-defined]
    assert str(form.fields["optional"].empty_label) == "alle"  # type: ignore[attr-defined]
    assert form.fields["explicit"].empty_label == "ganz Deutschland"  # type: ignore[attr-defined]
    with translation.override("en"):
        assert str(form.fields["required"].empty_label) == "please choose"  # type: ignore[attr-defined]
        assert str(form.fields["optional"].empty_label) == "all"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_campaign_form_and_the_order_list_show_no_dashes(client):
    bavaria = factories.StateFactory()
    factories.DistrictFactory()
    client.force_login(factories.CoordinatorFactory(states=[bavaria]))
    for name in ("outreach:campaign_create", "dashboard:order_list", "dashboard:white_spots"):
        page = client.get(reverse(name)).content.decode()
        assert "---------" not in page, name
        assert '<option value="" selected>' in page, name
    campaign = client.get(reverse("outreach:campaign_create")).content.decode()
    assert '<option value="" selected>bitte wählen</option>' in campaign
    assert '<option value="" selected>alle</option>' in campaign
