"""Demo users of every role, so a fresh `make run` can be tried at once.

Staff belong to the six pilot authorities (DESIGN); coordinator and ministry viewer to Bavaria.
Created by setup_portal (accounts/management/commands).
The passwords are fixed and printed on start: this is demo data, never for production.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Role, User
from geo.models import Authority, State

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEMO_PASSWORD = "Demo-DigitalMarkt-2026"
DEMO_STATE = "09"


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    role: str
    authority_code: str = ""  # Authority.code of a staff member's authority
    state_ags: str = DEMO_STATE  # the state a coordinator or ministry viewer acts for


DEMO_USERS = [
    DemoUser(
        "aschaffenburg@demo.digitalmarkt.example", "Anna", "Albrecht", Role.STAFF, "K09661000"
    ),
    DemoUser("augsburg@demo.digitalmarkt.example", "Bernd", "Bauer", Role.STAFF, "K09761000"),
    DemoUser("lra-kelheim@demo.digitalmarkt.example", "Clara", "Christ", Role.STAFF, "L09273"),
    DemoUser("lra-regensburg@demo.digitalmarkt.example", "David", "Dietl", Role.STAFF, "L09375"),
    DemoUser("meitingen@demo.digitalmarkt.example", "Eva", "Eder", Role.STAFF, "G09772177"),
    DemoUser("pullach@demo.digitalmarkt.example", "Felix", "Fischer", Role.STAFF, "G09184139"),
    DemoUser("koordination@demo.digitalmarkt.example", "Gabi", "Graf", Role.COORDINATOR),
    DemoUser("ministerium@demo.digitalmarkt.example", "Hans", "Huber", Role.VIEWER),
    DemoUser("bund@demo.digitalmarkt.example", "Jana", "Jung", Role.FEDERAL),
    DemoUser("admin@demo.digitalmarkt.example", "Ida", "Imhof", Role.ADMIN),
    # Saarland, opened beside Bavaria (catalog.demo_opening); created once its territory is in.
    DemoUser(
        "koordination-saarland@demo.digitalmarkt.example",
        "Karl",
        "Klein",
        Role.COORDINATOR,
        state_ags="10",
    ),
    DemoUser("saarbruecken@demo.digitalmarkt.example", "Lena", "Lang", Role.STAFF, "G10041100"),
]

# The coordinator the roll-in demo acts as, per state.
DEMO_COORDINATORS = {d.state_ags: d.email for d in DEMO_USERS if d.role == Role.COORDINATOR}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: StrOrPromise
    scope: str  # the authority or the states the user acts for


def demo_users_ensure() -> tuple[list[DemoLogin], int]:
    """Create the demo users that are missing; return all logins and how many were created.

    Existing users are left as they are (an operator may have changed a password). Staff of an
    authority that is not imported (e.g. another state selected) are skipped.
    """
    authorities = {
        a.code: a
        for a in Authority.objects.filter(
            code__in=[u.authority_code for u in DEMO_USERS if u.authority_code]
        )
    }
    states = {s.ags: s for s in State.objects.filter(ags__in={d.state_ags for d in DEMO_USERS})}
    existing = {
        u.email: u
        for u in User.objects.filter(email__in=[d.email for d in DEMO_USERS]).select_related(
            "authority"
        )
    }
    logins: list[DemoLogin] = []
    created = 0
    with transaction.atomic():
        for demo in DEMO_USERS:
            authority = authorities.get(demo.authority_code)
            state = states.get(demo.state_ags)
            if demo.role == Role.STAFF and authority is None:
                continue
            if demo.role in {Role.COORDINATOR, Role.VIEWER} and state is None:
                continue
            user = existing.get(demo.email)
            if user is None:
                user = _create(demo, authority, state)
                created += 1
            scope = authority.name if authority else (state.name if state else "")
            if demo.role in {Role.ADMIN, Role.FEDERAL}:
                scope = "Alle"
            logins.append(DemoLogin(demo.email, DEMO_PASSWORD, Role(demo.role).label, scope))
    return logins, created


def _create(demo: DemoUser, authority: Authority | None, state: State | None) -> User:
    extra = {"is_staff": True, "is_superuser": True} if demo.role == Role.ADMIN else {}
    user = User.objects.create_user(
        demo.email,
        DEMO_PASSWORD,
        first_name=demo.first_name,
        last_name=demo.last_name,
        role=demo.role,
        authority=authority if demo.role == Role.STAFF else None,
        **extra,
    )
    if demo.role in {Role.COORDINATOR, Role.VIEWER} and state is not None:
        user.states.set([state])
    # Demo users may sign in at once: allauth requires a verified address.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
