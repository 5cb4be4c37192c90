"""The simulator's JSON endpoints are served only where ROLLIN_SIMULATOR_HTTP allows (its secret:
tests/security/test_simulator_access.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_simulator_answers_where_it_is_switched_on(client, settings) -> None:
    settings.ROLLIN_SIMULATOR_HTTP = True
    authority = factories.LandratsamtFactory()
    response = client.get(reverse("rollin:sim_probe", args=[authority.code]))
    assert response.status_code == 200


def test_simulator_is_not_found_where_it_is_switched_off(client, settings) -> None:
    settings.ROLLIN_SIMULATOR_HTTP = False
    authority = factories.LandratsamtFactory()
    probe = client.get(reverse("rollin:sim_probe", args=[authority.code]))
    ack = client.get(reverse("rollin:sim_ack", args=[authority.code, "k1"]))
    configure = client.post(
        reverse("rollin:sim_configure", args=[authority.code]), "{}", "application/json"
    )
    submit = client.post(
        reverse("rollin:sim_submissions", args=[authority.code]), "{}", "application/json"
    )
    assert [r.status_code for r in (probe, ack, configure, submit)] == [404] * 4
