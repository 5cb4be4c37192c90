"""The admin's web-address fields take an address typed without a scheme as https, as the
portal's own forms do, and without Django 5's warning that 6.0 changes the default."""

from __future__ import annotations

import warnings

import pytest
from django.contrib import admin
from django.test import RequestFactory

from catalog.models import FundingProgramme
from rollin.models import ConnectorEndpoint


@pytest.mark.parametrize(
    ("model", "field"), [(ConnectorEndpoint, "base_url"), (FundingProgramme, "url")]
)
def test_an_address_without_scheme_is_taken_as_https(model, field) -> None:
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # RemovedInDjango60Warning among them
        form_field = model_admin.formfield_for_dbfield(model._meta.get_field(field), request)
    assert form_field.clean("fv.example.de") == "https://fv.example.de"
    assert form_field.clean("http://fv.example.de") == "http://fv.example.de"  # as typed
