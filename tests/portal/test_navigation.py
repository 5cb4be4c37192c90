"""The main navigation fits the role: each role sees its own entries and only those."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.navigation import navigation_for

pytestmark = pytest.mark.django_db


def _labels(user=None) -> dict[str, str]:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(reverse("accounts:my_authority"))
    request.user = user or AnonymousUser()
    return {str(item["label"]): str(item["url"]) for item in navigation_for(request)}


def test_staff_reach_their_authority_orders_and_basket(staff) -> None:
    labels = _labels(staff)

    assert labels["Meine Behörde"] == reverse("accounts:my_authority")
    assert labels["Meine Bestellungen"] == reverse("orders:order_list")
    assert labels["Warenkorb"] == reverse("orders:basket")
    assert "Koordination" not in labels


def test_meine_behoerde_is_marked_active_on_its_page(staff) -> None:
    request = RequestFactory().get(reverse("accounts:my_authority"))
    request.user = staff
    active = [str(item["label"]) for item in navigation_for(request) if item["active"]]

    assert active == ["Meine Behörde"]


def test_coordinators_viewers_and_anonymous_have_no_authority_entry(coordinator, viewer) -> None:
    for user in (coordinator, viewer, None):
        assert "Meine Behörde" not in _labels(user)
    assert "Koordination" in _labels(coordinator)
    assert set(_labels()) == {"Leistungen", "Versorgung"}


def test_the_basket_alone_is_marked_current_not_my_orders_above_it(staff) -> None:
    request = RequestFactory().get(reverse("orders:basket"))
    request.user = staff
    active = [str(item["label"]) for item in navigation_for(request) if item["active"]]

    assert active == ["Warenkorb"]
