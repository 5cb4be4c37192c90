"""Reads of the accounts app: authority search, membership requests and invitations by role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.models import Invitation, Membership, Role, User
from geo.models import Authority, Municipality, State

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.typing import AnyUser

SEARCH_LIMIT = 25


def authority_search(query: str) -> QuerySet[Authority]:
    """Authorities matching a name, an official key (AGS/ARS) or a postal code.

    A Gemeinde in a Verwaltungsgemeinschaft has no administration of its own: searching for it
    (by name, AGS or postal code) finds the authorities that serve it at both levels.
    """
    query = query.strip()
    if len(query) < 2:
        return Authority.objects.none()
    if query.isdigit():
        direct = Q(key__startswith=query) | Q(postal_code=query)
        served = Q(ags__startswith=query) | Q(postal_code=query)
    else:
        direct = Q(name__icontains=query)
        served = Q(name__icontains=query)
    municipalities = Municipality.objects.filter(served)
    return (
        Authority.objects.filter(
            direct
            | Q(pk__in=municipalities.values("municipal_authority"))
            | Q(pk__in=municipalities.values("district_authority"))
        )
        .select_related("state", "district")
        .order_by("name", "code")
    )


def membership_visible_to(user: AnyUser) -> QuerySet[Membership]:
    """Staff see their own requests; coordinators those of their states; admins all."""
    memberships = Membership.objects.select_related("user", "authority", "authority__district")
    if not user.is_authenticated:
        return memberships.none()
    if user.is_operator:
        return memberships
    if user.is_coordinator:
        return memberships.filter(authority__state__in=user.states.all())
    return memberships.filter(user=user)


def membership_queue_for(user: User) -> QuerySet[Membership]:
    if not (user.is_coordinator or user.is_operator):
        return Membership.objects.none()
    return (
        membership_visible_to(user)
        .filter(status=Membership.Status.PENDING)
        .order_by("created_at", "id")
    )


def membership_current_for(user: User) -> Membership | None:
    return Membership.objects.filter(user=user).select_related("authority").first()


def invitation_visible_to(user: AnyUser) -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("authority", "invited_by")
    if not user.is_authenticated:
        return invitations.none()
    if user.is_operator:
        return invitations
    if user.is_coordinator:
        return invitations.filter(authority__state__in=user.states.all())
    return invitations.none()


def authorities_invitable_by(user: User) -> QuerySet[Authority]:
    if user.is_operator:
        return Authority.objects.all()
    if user.is_coordinator:
        return Authority.objects.filter(state__in=user.states.all())
    return Authority.objects.none()


def coordinators_of_states(states: Iterable[int] | QuerySet[State]) -> QuerySet[User]:
    """The active coordinators of any of these states: who is told of, and may act on, what
    happens there. One definition for notifications, comments, the demo and the filters."""
    return User.objects.filter(role=Role.COORDINATOR, is_active=True, states__in=states)
