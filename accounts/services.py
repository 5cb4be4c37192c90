"""Writes of the accounts app: joining an authority by request or by invitation."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CoordinatorInvitation, Invitation, Membership, Role, User
from accounts.selectors import coordinators_of_states
from geo.models import Authority, State
from portal.services import email_send, notification_text, notify


def state_closed_message(state: State) -> str:
    """Why an authority of a state that is not open yet can neither join nor order."""
    return _(
        "%(state)s ist noch nicht für DigitalMarkt eröffnet. Behörden aus %(state)s können "
        "sich registrieren und bestellen, sobald das Land eröffnet ist."
    ) % {"state": state.name}


def membership_request(*, user: User, authority: Authority, message: str = "") -> Membership:
    """A signed-up user asks to act for `authority`; the state's coordinators decide."""
    if not authority.state.is_open:
        raise ValidationError(state_closed_message(authority.state))
    if user.role != Role.STAFF:
        raise ValidationError(_("Nur Mitarbeitende von Behörden können einer Behörde beitreten."))
    if user.authority_id is not None:
        raise ValidationError(_("Sie gehören bereits zu einer Behörde."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, authority=authority, message=message.strip()
            )
    except IntegrityError as error:
        # The partial unique constraint: one open request per user.
        raise ValidationError(
            _("Sie haben bereits einen offenen Antrag. Bitte warten Sie auf die Entscheidung.")
        ) from error
    coordinators = coordinators_of_states([authority.state_id])
    url = reverse("accounts:membership_queue")
    transaction.on_commit(
        lambda: notify(
            users=list(coordinators),
            text=notification_text(
                gettext_lazy("%(user)s möchte für %(authority)s bestellen."),
                user=user,
                authority=authority,
            ),
            url=url,
            dedup_key=f"membership:{membership.pk}",
        )
    )
    return membership


def _membership_locked(membership_id: int, actor: User) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user", "authority")
        .get(pk=membership_id)
    )
    may_decide = actor.is_operator or (
        actor.is_coordinator and actor.states.filter(pk=membership.authority.state_id).exists()
    )
    if not may_decide:
        raise ValidationError(_("Sie dürfen über diesen Antrag nicht entscheiden."))
    if membership.status != Membership.Status.PENDING:
        raise ValidationError(_("Über diesen Antrag wurde bereits entschieden."))
    return membership


@transaction.atomic
def membership_approve(*, membership_id: int, actor: User) -> Membership:
    membership = _membership_locked(membership_id, actor)
    membership.status = Membership.Status.APPROVED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    user = User.objects.select_for_update().get(pk=membership.user_id)
    user.authority = membership.authority
    user.save(update_fields=["authority"])
    _membership_decided_send(membership, "approved")  # outbox row in this transaction
    return membership


@transaction.atomic
def membership_reject(*, membership_id: int, actor: User, reason: str) -> Membership:
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    membership = _membership_locked(membership_id, actor)
    membership.status = Membership.Status.REJECTED
    membership.decided_by = actor
    membership.decided_at = timezone.now()
    membership.reason = reason.strip()
    membership.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _membership_decided_send(membership, "rejected")  # outbox row in this transaction
    return membership


def _membership_decided_send(membership: Membership, outcome: str) -> None:
    if outcome == "approved":
        template = gettext_lazy("Sie können jetzt für %(authority)s bestellen.")
    else:
        template = gettext_lazy("Ihr Antrag für %(authority)s wurde abgelehnt.")
    notify(
        users=[membership.user],
        text=notification_text(template, authority=membership.authority),
        url=reverse("accounts:my_authority"),
        dedup_key=f"membership-decided:{membership.pk}",
    )
    email_send(
        to=[membership.user.email],
        template=f"membership_decided_{outcome}",
        context={"membership": membership, "path": reverse("accounts:my_authority")},
        language=membership.user.language,
    )


def invitation_create(*, actor: User, authority: Authority, email: str) -> Invitation:
    may_invite = actor.is_operator or (
        actor.is_coordinator and actor.states.filter(pk=authority.state_id).exists()
    )
    if not may_invite:
        raise ValidationError(_("Sie dürfen für diese Behörde nicht einladen."))
    if not authority.state.is_open:
        raise ValidationError(state_closed_message(authority.state))
    # One transaction: no invitation without its outbox e-mail, and no e-mail without it.
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.strip().lower(),
            authority=authority,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
        )
        path = reverse("accounts:invitation_accept", args=[invitation.token])
        email_send(
            to=[invitation.email],
            template="invitation",
            context={"invitation": invitation, "path": path},
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Invitation:
    """The invited person, signed in with the invited address, joins the authority."""
    try:
        invitation = Invitation.objects.select_for_update().get(token=token)
    except Invitation.DoesNotExist:
        raise ValidationError(_("Diese Einladung ist ungültig.")) from None
    if invitation.accepted_at is not None:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _(
                "Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                "der Adresse an, an die die Einladung ging."
            )
        )
    if user.role != Role.STAFF:
        raise ValidationError(_("Nur Mitarbeitende von Behörden können einer Behörde beitreten."))
    if not invitation.authority.state.is_open:
        raise ValidationError(state_closed_message(invitation.authority.state))
    if user.authority_id is not None and user.authority_id != invitation.authority_id:
        raise ValidationError(_("Sie gehören bereits zu einer anderen Behörde."))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user.authority = invitation.authority
    user.save(update_fields=["authority"])
    # An open request is settled by the invitation: approved if it asked for the same
    # authority, otherwise withdrawn, so no coordinator later moves the user elsewhere.
    pending = Membership.objects.filter(user=user, status=Membership.Status.PENDING)
    pending.filter(authority=invitation.authority).update(
        status=Membership.Status.APPROVED,
        decided_by=invitation.invited_by,
        decided_at=invitation.accepted_at,
    )
    pending.update(
        status=Membership.Status.REJECTED,
        decided_at=invitation.accepted_at,
        reason=_("Durch Einladung zu einer anderen Behörde erledigt."),
    )
    return invitation


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a person chose: their e-mails and digests follow it."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def profile_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    """A person changes their own name and phone; the audit log records the change."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


def site_name_portal() -> Site:
    """The site allauth's pages and e-mails name: DigitalMarkt at DIGITALMARKT_BASE_URL's host.
    Set once by the data migration; `setup_portal` keeps it in step when the address moves."""
    domain = urlsplit(settings.PORTAL_BASE_URL).netloc or "digitalmarkt.example"
    site, _created = Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.PORTAL_SITE_NAME}
    )
    Site.objects.clear_cache()
    return site


def coordinator_invite(*, actor: User, state: State, email: str) -> CoordinatorInvitation:
    """An operator invites a person to coordinate `state` (one of the state's first coordinators).

    Inviting the same address for the same state again changes nothing and sends nothing.
    """
    if not actor.is_operator:
        raise ValidationError(_("Nur der Betrieb darf zur Koordination eines Landes einladen."))
    address = email.strip().lower()
    if not address:
        raise ValidationError({"email": _("Bitte geben Sie eine E-Mail-Adresse an.")})
    with transaction.atomic():
        invitation, created = CoordinatorInvitation.objects.get_or_create(
            state=state,
            email=address,
            defaults={"token": secrets.token_urlsafe(32), "invited_by": actor},
        )
        if created:
            path = reverse("accounts:coordinator_invitation_accept", args=[invitation.token])
            email_send(
                to=[invitation.email],
                template="coordinator_invitation",
                context={"invitation": invitation, "path": path},
            )
    return invitation


@transaction.atomic
def coordinator_invitation_accept(*, token: str, user: User) -> CoordinatorInvitation:
    """The invited person, signed in with the invited address, coordinates the state."""
    try:
        invitation = (
            CoordinatorInvitation.objects.select_for_update()
            .select_related("state")
            .get(token=token)
        )
    except CoordinatorInvitation.DoesNotExist:
        raise ValidationError(_("Diese Einladung ist ungültig.")) from None
    if invitation.accepted_at is not None:
        raise ValidationError(_("Diese Einladung wurde bereits angenommen."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _(
                "Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                "der Adresse an, an die die Einladung ging."
            )
        )
    # A person who already acts for an authority, or holds another role, is not turned into
    # a coordinator silently: the operator has to change such an account in the admin.
    if user.role not in {Role.STAFF, Role.COORDINATOR} or user.authority_id is not None:
        raise ValidationError(
            _("Ihr Konto hat bereits eine andere Rolle. Bitte wenden Sie sich an den Betrieb.")
        )
    user.role = Role.COORDINATOR
    user.save(update_fields=["role"])
    user.states.add(invitation.state)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation
