"""allauth's pages as the portal's: KERN markup, formal German, names instead of addresses."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

# Informal address as allauth's own German has it ("Du hast", "deine", "Bitte bestätige").
INFORMAL = re.compile(
    r"\b(du|dein\w*|dich|dir|hast|bist|kannst|musst|möchtest|bestätige|gib|klicke)\b",
    re.IGNORECASE,
)


def _visible_text(html: str) -> str:
    """The words a reader sees: without scripts, tags and attribute values."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


def _verified(user: User) -> User:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _signed_in(client: Client, user: User | None = None) -> User:
    """Signed in through the login form: a fresh login spares the two-factor pages their
    re-authentication step."""
    user = _verified(user or StaffFactory())
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return user


ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_profile",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_generate_recovery_codes",
    "account_reauthenticate",
]

MANAGE_PAGES = {"account_change_password", "account_email", "account_profile", "mfa_index"}


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages_speak_formal_german_in_kern(client, name) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 200, name
    page = response.content.decode()
    assert not INFORMAL.findall(_visible_text(page)), (name, INFORMAL.findall(_visible_text(page)))
    main = page[page.index("<main") : page.index("</main>")]
    if re.search(r'<input(?![^>]*type="hidden")', main):
        assert "kern-form-input__input" in main, name  # KERN inputs, not allauth's bare ones


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_speak_formal_german_in_kern(client, name) -> None:
    _signed_in(client)
    # Setting up a second factor asks for the password again, whatever the login's age.
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.get(reverse(name))

    assert response.status_code == 200, name
    text = _visible_text(response.content.decode())
    assert not INFORMAL.findall(text), (name, INFORMAL.findall(text))
    if name in MANAGE_PAGES:
        assert 'aria-label="Mein Konto"' in response.content.decode(), name


def test_password_reset_from_a_bad_key_and_confirm_email_speak_formal_german(client) -> None:
    user = UserFactory(email="neu@gemeinde.example")
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key

    confirm = client.get(reverse("account_confirm_email", args=[key])).content.decode()
    bad_reset = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y"})
    ).content.decode()

    for page in (confirm, bad_reset):
        assert not INFORMAL.findall(_visible_text(page)), INFORMAL.findall(_visible_text(page))
    assert "Bitte bestätigen Sie, dass" in confirm
    assert "Erika" in confirm and "example.com" not in confirm


def test_sign_up_asks_for_first_and_last_name(client) -> None:
    data = {
        "email": "kaemmerei@abensberg.example",
        "password1": "Ein-langes-Passwort-2026",
        "password2": "Ein-langes-Passwort-2026",
    }
    missing = client.post(reverse("account_signup"), {**data, "first_name": " "})

    assert missing.status_code == 200
    page = missing.content.decode()
    assert 'data-testid="error-summary"' in page and 'href="#id_last_name"' in page
    assert not User.objects.filter(email=data["email"]).exists()

    done = client.post(
        reverse("account_signup"), {**data, "first_name": "Klara", "last_name": "Kämmerer"}
    )
    assert done.status_code == 302
    user = User.objects.get(email=data["email"])
    assert (user.first_name, user.last_name, user.display_name) == (
        "Klara",
        "Kämmerer",
        "Klara Kämmerer",
    )


def test_sign_up_page_labels_every_field(client) -> None:
    page = client.get(reverse("account_signup")).content.decode()
    for field in ("first_name", "last_name", "email", "password1", "password2"):
        assert f'<label class="kern-label" for="id_{field}">' in page, field
    assert page.index("id_first_name") < page.index("id_email")


def test_the_confirmation_email_greets_by_name_from_digitalmarkt(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Klara",
                "last_name": "Kämmerer",
                "email": "gruss@abensberg.example",
                "password1": "Ein-langes-Passwort-2026",
                "password2": "Ein-langes-Passwort-2026",
            },
        )
    [mail] = mailoutbox
    assert mail.subject == "[DigitalMarkt] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert mail.body.startswith("Guten Tag Klara Kämmerer,")
    assert "Klara Kämmerer hat diese E-Mail-Adresse für ein Konto im DigitalMarkt" in mail.body
    assert "example.com" not in mail.body
    assert not INFORMAL.findall(mail.body)


def test_the_confirmation_email_in_english(client, mailoutbox, django_capture_on_commit_callbacks):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Klara",
                "last_name": "Kämmerer",
                "email": "englisch@abensberg.example",
                "password1": "Ein-langes-Passwort-2026",
                "password2": "Ein-langes-Passwort-2026",
            },
        )
    [mail] = mailoutbox
    assert mail.subject == "[DigitalMarkt] Please confirm your e-mail address"
    assert mail.body.startswith("Dear Klara Kämmerer,")


def test_the_site_is_named_digitalmarkt() -> None:
    site = Site.objects.get_current()
    assert site.name == "DigitalMarkt" and "example.com" not in site.domain


def test_profile_changes_name_and_phone(client) -> None:
    user = _signed_in(client)
    response = client.post(
        reverse("account_profile"),
        {"first_name": "Anna", "last_name": "Amtmann", "phone": "0921 123456-78"},
    )

    assert response.url == reverse("account_profile")
    user.refresh_from_db()
    assert (user.display_name, user.phone) == ("Anna Amtmann", "0921 123456-78")


def test_profile_refuses_an_empty_name_and_changes_nothing(client) -> None:
    user = _signed_in(client)
    before = user.display_name
    response = client.post(
        reverse("account_profile"), {"first_name": "", "last_name": "Amtmann", "phone": "1"}
    )

    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == before and user.phone == ""


def test_profile_needs_a_login(client) -> None:
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_a_person_is_shown_by_name_and_by_address_only_without_one() -> None:
    named = UserFactory(first_name="Anna", last_name="Amtmann", email="a@amt.example")
    unnamed = UserFactory(first_name="", last_name="", email="b@amt.example")

    assert (named.display_name, str(named)) == ("Anna Amtmann", "Anna Amtmann")
    assert (unnamed.display_name, str(unnamed)) == ("b@amt.example", "b@amt.example")


def test_the_account_menu_offers_profile_addresses_password_2fa_language_help_logout(
    client,
) -> None:
    user = _signed_in(client)
    page = client.get(reverse("start")).content.decode()
    menu = page[page.index('class="dm-account__menu"') :]
    menu = menu[: menu.index("</details>")]

    for name in (
        "account_profile",
        "account_email",
        "account_change_password",
        "mfa_index",
        "portal:help",
        "account_logout",
        "set_language",
    ):
        assert f'"{reverse(name)}"' in menu, name
    assert f'data-testid="signed-in-as">{user.display_name}<' in page
    assert user.email not in page.split("</header>")[0]


def test_login_keeps_working_with_the_kern_form(client) -> None:
    user = _verified(StaffFactory())
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("account_profile")).status_code == 200


def test_a_wrong_password_gets_an_error_summary(client) -> None:
    user = _verified(StaffFactory())
    response = client.post(reverse("account_login"), {"login": user.email, "password": "falsch"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in page
    assert not INFORMAL.findall(_visible_text(page))


def test_two_factor_pages_of_an_activated_authenticator_speak_formal_german(client) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = _verified(StaffFactory())
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    login = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert login.url == reverse("mfa_authenticate")

    pages = {"mfa_authenticate": client.get(reverse("mfa_authenticate"))}
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"):
        pages[name] = client.get(reverse(name))

    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _visible_text(response.content.decode())
        assert not INFORMAL.findall(text), (name, INFORMAL.findall(text))
    assert "kern-form-input__input" in pages["mfa_authenticate"].content.decode()
