"""A person's language: taken at sign-up, changed by the language switch, read by e-mails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Sehr-Sicheres-Passwort-2026"


def test_sign_up_in_english_makes_an_english_account(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get(email="new@example.org").language == "en"


def test_sign_up_in_german_makes_a_german_account(client) -> None:
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert User.objects.get(email="neu@example.org").language == "de"


def test_switching_language_signed_in_is_remembered_and_anonymous_switch_still_works(
    client,
) -> None:
    staff = StaffFactory(language="de")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302  # signed out: Django's switch, nothing stored
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    staff.refresh_from_db()
    assert staff.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    staff.refresh_from_db()
    assert staff.language == "en"  # an unknown language changes nothing
