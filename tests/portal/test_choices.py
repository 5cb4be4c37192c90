"""Choice lists of reference data kept per process, language and version (portal.choices)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from geo.models import District
from portal.choices import keep_choices
from portal.fields import BoundedModelChoiceField
from rollin.figure_versions import reference_version
from tests import factories

pytestmark = pytest.mark.django_db


class DistrictForm(forms.Form):
    district = BoundedModelChoiceField(
        queryset=District.objects.order_by("name"), required=False, empty_label="alle"
    )


def _districts() -> tuple[District, District]:
    kelheim = factories.DistrictFactory()
    regen = factories.DistrictFactory(
        ags="09276", name="Regen", official_name="Regen", kind=District.Kind.KREISFREIE_STADT
    )
    return kelheim, regen


def _field(form: forms.Form) -> forms.ModelChoiceField[District]:
    return cast("forms.ModelChoiceField[District]", form.fields["district"])


def _options(form: forms.Form) -> list[tuple[str, str]]:
    """The field's choices as the select shows them: (value, label)."""
    choices: Any = _field(form).choices  # a list once kept, Django's iterator before
    return [(str(value), str(label)) for value, label in choices]


def _offered(version: str, data: dict[str, str] | None = None) -> DistrictForm:
    form = DistrictForm(data)
    keep_choices(form, ["district"], version)
    return form


def test_the_kept_list_is_djangos_own_and_is_read_from_memory_the_second_time(
    django_assert_num_queries,
):
    kelheim, regen = _districts()
    djangos = _options(DistrictForm())
    assert djangos == [
        ("", "alle"),
        (str(kelheim.pk), "Landkreis Kelheim"),
        (str(regen.pk), "Regen"),
    ]

    assert _options(_offered("v1")) == djangos
    with django_assert_num_queries(0):
        again = _offered("v1")
    assert _options(again) == djangos
    html = str(_offered("v1", {"district": str(regen.pk)})["district"])
    assert f'<option value="{regen.pk}" selected>Regen</option>' in html


def test_a_new_version_or_language_builds_the_list_anew():
    kelheim, _regen = _districts()
    _offered("v1")
    District.objects.filter(pk=kelheim.pk).update(name="Kelheim-Neu")
    assert "Landkreis Kelheim" in dict(_options(_offered("v1"))).values()
    assert "Landkreis Kelheim-Neu" in dict(_options(_offered("v2"))).values()
    with translation.override("en"):
        assert "District of Kelheim-Neu" in dict(_options(_offered("v2"))).values()


def test_a_value_the_list_does_not_offer_is_still_checked_against_the_rows():
    kelheim, regen = _districts()
    form = DistrictForm({"district": str(regen.pk)})
    _field(form).queryset = District.objects.filter(pk=kelheim.pk)
    keep_choices(form, ["district"], "v1")
    assert not form.is_valid()
    assert "district" in form.errors
    assert _offered("v1", {"district": "99999999999999999999999"}).is_valid() is False


def test_a_saved_district_moves_the_version_and_the_filters_show_its_new_name(client):
    kelheim, _regen = _districts()
    client.force_login(factories.CoordinatorFactory(states=[kelheim.state]))
    before = reference_version()
    for url in (reverse("dashboard:white_spots"), reverse("dashboard:order_list")):
        assert "Landkreis Kelheim<" in client.get(url).content.decode()
    kelheim.name = "Kelheim an der Donau"
    kelheim.save()
    assert reference_version() != before
    for url in (reverse("dashboard:white_spots"), reverse("dashboard:order_list")):
        page = client.get(url).content.decode()
        assert "Landkreis Kelheim an der Donau<" in page
        assert "Landkreis Kelheim<" not in page


def test_a_coordinator_given_another_state_finds_it_and_its_districts_in_the_filters(client):
    kelheim, _regen = _districts()
    hesse = factories.StateFactory(ags="06", name="Hessen")
    factories.DistrictFactory(
        ags="06411", name="Darmstadt", official_name="Darmstadt", region=None, state=hesse
    )
    coordinator = factories.CoordinatorFactory(states=[kelheim.state])
    client.force_login(coordinator)
    urls = (reverse("dashboard:white_spots"), reverse("dashboard:order_list"))
    for url in urls:
        assert "Darmstadt<" not in client.get(url).content.decode()
    coordinator.states.add(hesse)
    for url in urls:
        page = client.get(url).content.decode()
        assert ">Hessen<" in page and "Darmstadt<" in page
    coordinator.states.remove(hesse)
    for url in urls:
        assert "Darmstadt<" not in client.get(url).content.decode()
