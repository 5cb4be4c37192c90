from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import selectors, services
from accounts.models import Invitation, Membership
from tests.factories import (
    AuthorityFactory,
    CoordinatorFactory,
    LandratsamtFactory,
    MunicipalityFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def abensberg():
    return AuthorityFactory(
        name="Stadt Abensberg", key="09273111", code="G09273111", postal_code="93326"
    )


def test_search_finds_by_name_key_and_postal_code(abensberg):
    AuthorityFactory(name="Gemeinde Ihrlerstein")
    assert list(selectors.authority_search("abens")) == [abensberg]
    assert list(selectors.authority_search("09273111")) == [abensberg]
    assert list(selectors.authority_search("93326")) == [abensberg]
    assert not selectors.authority_search("a").exists()


def test_search_for_a_member_municipality_finds_its_vg_and_landratsamt():
    vg = AuthorityFactory(
        kind="vg", name="VG Saal an der Donau", key="092735101", code="V092735101"
    )
    landratsamt = LandratsamtFactory()
    MunicipalityFactory(
        name="Teugn",
        ags="09273176",
        postal_code="93356",
        municipal_authority=vg,
        district_authority=landratsamt,
    )
    for query in ("Teugn", "93356", "09273176"):
        assert set(selectors.authority_search(query)) == {vg, landratsamt}


def test_join_page_searches_and_requests(client, abensberg):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:my_authority"), {"q": "Abensberg"}).content.decode()
    assert reverse("accounts:membership_request", args=[abensberg.pk]) in page
    response = client.post(
        reverse("accounts:membership_request", args=[abensberg.pk]), {"message": "Kämmerei"}
    )
    assert response.url == reverse("accounts:my_authority")
    membership = Membership.objects.get(user=user)
    assert (membership.authority, membership.status, membership.message) == (
        abensberg,
        "pending",
        "Kämmerei",
    )
    page = client.get(reverse("accounts:my_authority")).content.decode()
    assert "wird von der Koordination geprüft" in page


def test_second_open_request_is_refused(abensberg):
    user = UserFactory()
    services.membership_request(user=user, authority=abensberg)
    with pytest.raises(ValidationError, match="bereits einen offenen Antrag"):
        services.membership_request(user=user, authority=AuthorityFactory())
    assert Membership.objects.count() == 1


def test_coordinator_approves_in_queue_and_user_gets_mail(
    client, abensberg, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    membership = services.membership_request(user=user, authority=abensberg)
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    queue = client.get(reverse("accounts:membership_queue")).content.decode()
    assert user.email in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:membership_approve", args=[membership.pk]))
    user.refresh_from_db()
    membership.refresh_from_db()
    assert user.authority == abensberg and user.is_authority_staff
    assert (membership.status, membership.decided_by) == ("approved", coordinator)
    [mail] = mailoutbox
    assert mail.to == [user.email]
    assert "Stadt Abensberg" in mail.subject
    assert user.notifications.filter(text__contains="Stadt Abensberg").exists()


def test_coordinator_rejects_with_reason_and_user_gets_mail(
    client, abensberg, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    membership = services.membership_request(user=user, authority=abensberg)
    client.force_login(CoordinatorFactory())
    client.post(reverse("accounts:membership_reject", args=[membership.pk]), {})
    membership.refresh_from_db()
    assert membership.status == "pending"  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_reject", args=[membership.pk]),
            {f"reject-{membership.pk}-reason": "Nicht bei dieser Behörde beschäftigt"},
        )
    membership.refresh_from_db()
    user.refresh_from_db()
    assert membership.status == "rejected" and user.authority is None
    [mail] = mailoutbox
    assert "abgelehnt" in mail.subject
    assert "Nicht bei dieser Behörde beschäftigt" in mail.body


def test_coordinator_of_another_state_neither_sees_nor_decides(client, abensberg):
    membership = services.membership_request(user=UserFactory(), authority=abensberg)
    hesse = StateFactory(ags="06", name="Hessen")
    stranger = CoordinatorFactory(states=[hesse])
    client.force_login(stranger)
    assert (
        membership.user.email
        not in client.get(reverse("accounts:membership_queue")).content.decode()
    )
    response = client.post(reverse("accounts:membership_approve", args=[membership.pk]))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.membership_approve(membership_id=membership.pk, actor=stranger)
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_staff_cannot_open_the_queue(client, staff):
    client.force_login(staff)
    assert client.get(reverse("accounts:membership_queue")).status_code == 403


def test_decided_request_cannot_be_decided_again(abensberg):
    coordinator = CoordinatorFactory()
    membership = services.membership_request(user=UserFactory(), authority=abensberg)
    services.membership_approve(membership_id=membership.pk, actor=coordinator)
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.membership_reject(membership_id=membership.pk, actor=coordinator, reason="x")


def test_invitation_by_mail_and_acceptance(
    client, abensberg, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create"),
            {"email": "Neu@Abensberg.example", "authority": abensberg.pk},
        )
    invitation = Invitation.objects.get()
    [mail] = mailoutbox
    link = reverse("accounts:invitation_accept", args=[invitation.token])
    assert mail.to == ["neu@abensberg.example"] and link in mail.body
    intruder = UserFactory(email="andere@example.org")
    client.force_login(intruder)
    response = client.post(link)
    assert "andere E-Mail-Adresse" in response.content.decode()
    intruder.refresh_from_db()
    assert intruder.authority is None
    invited = UserFactory(email="neu@abensberg.example")
    client.force_login(invited)
    assert client.post(link).url == reverse("accounts:my_authority")
    invited.refresh_from_db()
    assert invited.authority == abensberg
    with pytest.raises(ValidationError, match="bereits angenommen"):
        services.invitation_accept(token=invitation.token, user=invited)


def test_staff_cannot_invite(client, staff):
    client.force_login(staff)
    assert client.get(reverse("accounts:invitation_create")).status_code == 403


def test_my_authority_shows_membership_of_approved_staff(client, staff):
    client.force_login(staff)
    page = client.get(reverse("accounts:my_authority")).content.decode()
    assert staff.authority.name in page


def test_queue_runs_constant_queries(client, django_assert_max_num_queries):
    for _ in range(6):
        services.membership_request(user=UserFactory(), authority=AuthorityFactory())
    client.force_login(CoordinatorFactory())
    with django_assert_max_num_queries(10):
        page = client.get(reverse("accounts:membership_queue")).content.decode()
    assert page.count("Bestätigen<span") == 6


def test_invited_person_who_must_sign_up_first_lands_on_the_invitation(
    client, abensberg, mailoutbox, django_capture_on_commit_callbacks
):
    """The invitation link survives login page, sign-up and e-mail verification (allauth next)."""
    import re
    from urllib.parse import quote

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=CoordinatorFactory(), email="neu@abensberg.example", authority=abensberg
        )
    link = reverse("accounts:invitation_accept", args=[invitation.token])
    mailoutbox.clear()

    login_url = client.get(link).url
    assert login_url == f"{reverse('account_login')}?next={quote(link)}"
    login_page = client.get(login_url).content.decode()
    signup_url = f"{reverse('account_signup')}?next={quote(link, safe='')}"
    assert signup_url in login_page
    signup_page = client.get(signup_url).content.decode()
    assert f'name="next" value="{link}"' in signup_page

    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Nora",
                "last_name": "Neu",
                "email": "neu@abensberg.example",
                "password1": "Sehr-Sicheres-Passwort-2026",
                "password2": "Sehr-Sicheres-Passwort-2026",
                "next": link,
            },
        )
    [verification] = mailoutbox
    confirm_path = re.search(r"https?://[^/\s]+(/konto/[^\s]+)", verification.body).group(1)
    response = client.post(confirm_path)

    assert response.url == link
    assert "Einladung" in client.get(link).content.decode()
    assert client.post(link).url == reverse("accounts:my_authority")
    invitation.refresh_from_db()
    assert invitation.accepted_by.authority == abensberg
