"""Permission matrix: every named URL of the resolver × every role × objects of three owners.

Roles (8): anonymous, staff of authority A (Bavaria), staff of authority B (Baden-Württemberg),
coordinator of Bavaria (09), coordinator of Baden-Württemberg (08, the second state: nothing of
Bavaria's), ministry viewer (Bavaria), federal viewer (every state's reports, nothing else),
admin. Owners of objects (see tests/security/world.py): A (Bavaria, has staff_a), N (another
authority in Bavaria, no role of its own) and F (Baden-Württemberg, has staff_b).

Each URL name has exactly one row in EXPECTATIONS (method, the owners whose objects it is tried
on, the expected answer per role and owner); test_every_url_name_has_an_expectation fails as
soon as the resolver knows a name the table does not. Answers: 200 (or another status the
view gives on success), LOGIN (302 to the login page), 403, 404, REDIRECT (302 elsewhere,
e.g. back to the page with a message), KEPT (302 elsewhere, and nothing changed) and REFUSED
(400: the page again with the reason, nothing changed). Every refused POST
(LOGIN/403/404/KEPT/REFUSED) must leave the owners' data exactly as it was.

Matrix size (checked by test_matrix_size_is_documented):
    8 roles × 95 URL names; 46 names without object, 49 with objects of 2–3 owners (129 URL ×
    object combinations) → 8 × (46 + 129) = 1400 cases, plus 24 admin and 20 allauth samples.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.security import world as w
from tests.security.world import owned_data

OK, CREATED = 200, 201
LOGIN, REDIRECT, KEPT, REFUSED = "login", "redirect", "kept", "refused"
FORBIDDEN, NOT_FOUND = 403, 404

# Which owners' objects a role may see, per kind of object.
SEES_ORDERS = {
    "anon": set(),
    "staff_a": {"A"},
    "staff_b": {"F"},
    "coord_by": {"A", "N"},
    "coord_bw": {"F"},
    "viewer_by": set(),  # orders carry contact persons: ministry viewers get none
    "federal": set(),  # nor the federal ministry
    "admin": {"A", "N", "F"},
}
SEES_ALL = {role: {"A", "N", "F"} for role in w.ROLES}
SEES_STATE = {
    **SEES_ORDERS,
    "staff_a": set(),
    "staff_b": set(),
    "viewer_by": {"A", "N"},
    "federal": {"A", "N", "F"},  # every state's reports
}
SEES_BULK_JOBS = {**SEES_ORDERS, "coord_by": {"A"}}  # a bulk job is its creator's
COORDINATING = ("coord_by", "coord_bw", "admin")
STAFF = ("staff_a", "staff_b")
# Read reports only: no coordination, no orders.
VIEWERS = ("viewer_by", "federal")
# The pages of an order's training seats: staff of the order's authority only.
NOT_STAFF = ("coord_by", "coord_bw", "viewer_by", "federal", "admin")
NOT_OPERATORS = ("staff_a", "staff_b", "coord_by", "coord_bw", "viewer_by", "federal")


Expect = Callable[[str, str], Any]


def _for_staff(code: Any) -> dict[str, Any]:
    """`per_role` of rule() for both staff roles."""
    return dict.fromkeys(STAFF, code)


def rule(
    *,
    seen: Any = OK,
    unseen: Any = NOT_FOUND,
    sees: dict[str, set[str]] = SEES_ORDERS,
    anon: Any = LOGIN,
    forbidden: tuple[str, ...] = (),
    **per_role: Any,
) -> Expect:
    """Anonymous → `anon`; roles in `forbidden` → 403; a role in `per_role` gets its code when
    it sees the object (a pair: (seen, unseen)); everyone else `seen`/`unseen` by `sees`."""

    def expect(role: str, owner: str) -> Any:
        if role == "anon":
            return anon
        if role in forbidden:
            return FORBIDDEN
        visible = owner == "-" or owner in sees[role]
        code = per_role.get(role, (seen, unseen))
        if not isinstance(code, tuple):
            code = (code, unseen)
        return code[0] if visible else code[1]

    return expect


def everyone(code: Any = OK) -> Expect:
    return rule(anon=code, seen=code, sees=SEES_ALL)


def coordination(seen: Any = OK, sees: dict[str, set[str]] = SEES_ORDERS) -> Expect:
    return rule(seen=seen, sees=sees, forbidden=(*STAFF, *VIEWERS))


def reports(seen: Any = OK) -> Expect:
    return rule(seen=seen, sees=SEES_STATE, forbidden=STAFF)


def ordering(seen: Any = OK) -> Expect:
    """Basket and checkout: staff of an authority; others are sent to "Meine Behörde"."""
    return rule(seen=REDIRECT, **_for_staff(seen))


@dataclass(frozen=True)
class Row:
    expect: Expect
    method: str = "get"
    owners: tuple[str, ...] = ("-",)
    kwargs: Callable[[w.World, str], dict[str, Any]] = lambda world, owner: {}
    data: Callable[[w.World, str], dict[str, Any]] = lambda world, owner: {}
    content_type: str | None = None


ALL, STATES = ("A", "N", "F"), ("A", "F")


def order_number(world: w.World, owner: str) -> dict[str, Any]:
    return {"number": world.orders[owner].number}


def staff_item(world: w.World, owner: str) -> dict[str, Any]:
    return {"item_id": world.staff_items[owner].pk}


def doc_item(world: w.World, owner: str) -> dict[str, Any]:
    return {"item_id": world.doc_items[owner].pk}


def contacts(world: w.World, owner: str) -> dict[str, Any]:
    prefix = f"item{world.staff_items[owner].pk}"
    roles = ("project_lead", "technical", "specialist", "vendor", "data_protection")
    data = {f"{prefix}-{role}_name": "Projekt Leitung" for role in roles}
    return data | {f"{prefix}-{role}_email": f"{role}@example.org" for role in roles}


def state(world: w.World, owner: str) -> dict[str, Any]:
    return {"ags": world.state_ags[owner]}


def slug(world: w.World, owner: str) -> dict[str, Any]:
    return {"slug": world.service.slug}


def sim(world: w.World, owner: str) -> dict[str, Any]:
    return {"authority_code": world.authorities["A"].code}


def session_id(world: w.World, owner: str) -> dict[str, Any]:
    return {"session_id": world.session_of(owner).pk}


def campaign_id(world: w.World, owner: str) -> dict[str, Any]:
    return {"campaign_id": world.campaigns[owner].pk}


def session_times() -> dict[str, Any]:
    starts = timezone.localtime() + datetime.timedelta(days=21)
    return {
        "starts_at": f"{starts:%Y-%m-%d} 10:00",
        "ends_at": f"{starts:%Y-%m-%d} 12:00",
        "place": "Landratsamt, Raum 2",
        "capacity": "12",
        "trainer": "Neue Schulungsleitung",
    }


def session_new(world: w.World, owner: str) -> dict[str, Any]:
    """A session for the owner's state: a coordinator of another state may not choose it."""
    return {
        **session_times(),
        "state": world.authorities[owner].state_id,
        "service": world.service.pk,
    }


def reason(prefix: str) -> Callable[[w.World, str], dict[str, Any]]:
    return lambda world, owner: {f"{prefix}-reason": "Weil es nötig ist."}


def item_reason(world: w.World, owner: str) -> dict[str, Any]:
    return {f"reject{world.doc_items[owner].pk}-reason": "Falsches Dokument."}


EXPECTATIONS: dict[str, Row] = {
    # --- portal -------------------------------------------------------------------------------
    # Signed-in users are sent on to their start page.
    "portal:home": Row(rule(anon=OK, seen=REDIRECT, sees=SEES_ALL)),
    "start": Row(rule()),
    "portal:imprint": Row(everyone()),
    "portal:privacy": Row(everyone()),
    "portal:accessibility": Row(everyone()),
    "portal:terms": Row(everyone()),
    "portal:help": Row(everyone()),
    "account_profile": Row(rule()),
    "portal:notifications": Row(rule()),
    "portal:notifications_mark_read": Row(rule(seen=REDIRECT), method="post"),
    "portal:health": Row(everyone()),
    # --- accounts -----------------------------------------------------------------------------
    "accounts:my_authority": Row(rule()),
    "accounts:membership_request": Row(
        rule(sees=SEES_ALL),
        owners=ALL,
        kwargs=lambda world, o: {"authority_id": world.authorities[o].pk},
    ),
    "accounts:membership_queue": Row(rule(forbidden=(*STAFF, *VIEWERS))),
    "accounts:membership_approve": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {"pk": world.memberships[o].pk},
    ),
    "accounts:membership_reject": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {"pk": world.memberships[o].pk},
        data=lambda world, o: {f"reject-{world.memberships[o].pk}-reason": "Unbekannt."},
    ),
    "accounts:invitation_create": Row(rule(forbidden=(*STAFF, *VIEWERS))),
    # The token is the secret; the page shows nothing of the invitation before accepting.
    "accounts:invitation_accept": Row(
        rule(sees=SEES_ALL),
        owners=ALL,
        kwargs=lambda world, o: {"token": world.invitations[o].token},
    ),
    "accounts:coordinator_invitation_accept": Row(
        rule(sees=SEES_ALL),
        owners=STATES,
        kwargs=lambda world, o: {"token": world.coordinator_invitations[o].token},
    ),
    # --- catalog ------------------------------------------------------------------------------
    "catalog:service_list": Row(everyone()),
    "catalog:service_detail": Row(everyone(), kwargs=slug),
    # Opening a state: operators only; the page of any state, imported or not.
    "opening:list": Row(rule(forbidden=NOT_OPERATORS)),
    "opening:state": Row(rule(forbidden=NOT_OPERATORS), owners=STATES, kwargs=state),
    # --- orders -------------------------------------------------------------------------------
    "orders:order_list": Row(rule()),
    "orders:basket": Row(ordering()),
    "orders:basket_add": Row(
        ordering(REDIRECT), method="post", data=lambda world, o: {"service": world.service.slug}
    ),
    "orders:basket_remove": Row(ordering(REDIRECT), method="post", kwargs=slug),
    "orders:checkout": Row(ordering(REDIRECT)),
    "orders:checkout_service": Row(ordering(), kwargs=slug),
    "orders:checkout_review": Row(ordering(REDIRECT)),
    "orders:checkout_done": Row(ordering()),
    "orders:order_detail": Row(rule(), owners=ALL, kwargs=order_number),
    # Coordinators may read but not edit the contact: back to the order with a message.
    "orders:order_contact_edit": Row(
        rule(coord_by=REDIRECT, coord_bw=REDIRECT), owners=ALL, kwargs=order_number
    ),
    # The contract to sign: for its signers, staff and coordinators; admins get the 404 too.
    "orders:order_contract_pdf": Row(
        rule(admin=(NOT_FOUND, NOT_FOUND)), owners=ALL, kwargs=order_number
    ),
    "orders:order_comment_add": Row(
        rule(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=lambda world, o: {"text": "Noch eine Frage."},
    ),
    "orders:order_cancel": Row(
        rule(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=lambda world, o: {"reason": "Doch nicht."},
    ),
    # --- roll-in (people's side) --------------------------------------------------------------
    # A staff item: only the authority's own staff completes it; others see why not (400).
    "rollin:item_complete": Row(
        rule(seen=REFUSED, **_for_staff(REDIRECT)),
        method="post",
        owners=ALL,
        kwargs=staff_item,
        data=contacts,
    ),
    # Only coordinators send a done staff item back; the authority's own staff is refused.
    "rollin:item_reject": Row(
        rule(seen=REDIRECT, **_for_staff(REFUSED)),
        method="post",
        owners=ALL,
        kwargs=doc_item,
        data=item_reason,
    ),
    # Uploaded documents reach people only through this access-checked view.
    "rollin:item_document": Row(rule(), owners=ALL, kwargs=doc_item),
    "rollin:hold": Row(
        rule(seen=REDIRECT, **_for_staff(REFUSED)),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=reason("hold"),
    ),
    # The order is waiting, not on hold: nothing to resume, for anyone.
    "rollin:resume": Row(
        rule(seen=REFUSED), method="post", owners=ALL, kwargs=order_number, data=reason("resume")
    ),
    "rollin:cancel": Row(
        rule(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=reason("cancel"),
    ),
    "rollin:assign": Row(
        rule(seen=REDIRECT, **_for_staff(REFUSED)),
        method="post",
        owners=ALL,
        kwargs=order_number,
    ),
    "rollin:remind": Row(
        rule(seen=REDIRECT, **_for_staff(REFUSED)),
        method="post",
        owners=ALL,
        kwargs=order_number,
    ),
    # The simulated Fachverfahren stands for an authority's own system: machine-to-machine,
    # and it holds no portal data (rollin/simulator.py). Writes and acks need its shared
    # secret, which no portal role has (tests/security/test_simulator_access.py).
    "rollin:sim_configure": Row(everyone(401), method="post", kwargs=sim, content_type="json"),
    "rollin:sim_probe": Row(everyone(), kwargs=sim),
    "rollin:sim_submissions": Row(
        everyone(401),
        method="post",
        kwargs=sim,
        data=lambda world, o: {"key": "neu-1"},
        content_type="json",
    ),
    "rollin:sim_ack": Row(
        everyone(401), kwargs=lambda world, o: {**sim(world, o), "key": world.submission_key}
    ),
    # --- coordination -------------------------------------------------------------------------
    "dashboard:overview": Row(coordination()),
    "dashboard:order_list": Row(coordination()),
    "dashboard:order_export": Row(coordination()),
    "dashboard:my_tasks": Row(coordination()),
    # A foreign order id in a bulk action is dropped: the job runs, the order stays untouched.
    "dashboard:bulk_action": Row(
        rule(seen=REDIRECT, unseen=KEPT, forbidden=(*STAFF, *VIEWERS)),
        method="post",
        owners=ALL,
        data=lambda world, o: {
            "action": "assign_me",
            "scope": "selected",
            "order": [world.orders[o].pk],
        },
    ),
    "dashboard:bulk_job": Row(
        coordination(sees=SEES_BULK_JOBS),
        owners=STATES,
        kwargs=lambda world, o: {"job_id": world.bulk_jobs[o].pk},
    ),
    "dashboard:white_spots": Row(coordination()),
    "dashboard:order_detail": Row(coordination(), owners=ALL, kwargs=order_number),
    # The order actions of the coordination's page (the same table as the staff page's).
    "dashboard:order_hold": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=reason("hold"),
    ),
    # The order is waiting, not on hold: nothing to resume, for anyone.
    "dashboard:order_resume": Row(
        coordination(seen=REFUSED),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=reason("resume"),
    ),
    "dashboard:order_cancel": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=order_number,
        data=reason("cancel"),
    ),
    "dashboard:order_assign": Row(
        coordination(seen=REDIRECT), method="post", owners=ALL, kwargs=order_number
    ),
    "dashboard:order_remind": Row(
        coordination(seen=REDIRECT), method="post", owners=ALL, kwargs=order_number
    ),
    "dashboard:item_approve": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {**order_number(world, o), "item_id": world.coord_items[o].pk},
    ),
    "dashboard:item_reject": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {**order_number(world, o), **doc_item(world, o)},
        data=item_reason,
    ),
    # --- outreach: training sessions ------------------------------------------------------
    # Coordinators for their own states' sessions (others' → 404); staff and viewers 403.
    "outreach:session_list": Row(coordination()),
    # A session for a state one does not coordinate is not a choice: the form again (400).
    "outreach:session_create": Row(
        rule(seen=REDIRECT, unseen=REFUSED, forbidden=(*STAFF, *VIEWERS)),
        method="post",
        owners=STATES,
        data=session_new,
    ),
    "outreach:session_detail": Row(coordination(), owners=STATES, kwargs=session_id),
    "outreach:session_edit": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=STATES,
        kwargs=session_id,
        data=lambda world, o: session_times(),
    ),
    # The session has not begun: its coordinators are sent back with the reason.
    "outreach:attendance": Row(
        coordination(seen=REDIRECT),
        method="post",
        owners=STATES,
        kwargs=session_id,
        data=lambda world, o: {"attended": [world.bookings[o].pk]},
    ),
    # Seats: the staff of the order's own authority (another's order → 404); all others 403.
    "outreach:order_sessions": Row(rule(forbidden=NOT_STAFF), owners=ALL, kwargs=order_number),
    # The order is not yet in the training stage: back to its sessions with the reason.
    "outreach:seat_book": Row(
        rule(seen=REDIRECT, forbidden=NOT_STAFF),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {**order_number(world, o), **session_id(world, o)},
    ),
    "outreach:seat_cancel": Row(
        rule(seen=REDIRECT, forbidden=NOT_STAFF),
        method="post",
        owners=STATES,
        kwargs=lambda world, o: {**order_number(world, o), "booking_id": world.bookings[o].pk},
    ),
    # --- outreach: campaigns (each state's, made by its coordinator) -------------------------
    "outreach:campaign_list": Row(coordination()),
    "outreach:campaign_create": Row(coordination()),
    "outreach:campaign_detail": Row(coordination(), owners=STATES, kwargs=campaign_id),
    "outreach:campaign_send": Row(
        coordination(seen=REDIRECT), method="post", owners=STATES, kwargs=campaign_id
    ),
    # Not sent yet: nothing to follow up; its coordinators are sent back with the reason.
    "outreach:campaign_follow_up": Row(
        coordination(seen=REDIRECT), method="post", owners=STATES, kwargs=campaign_id
    ),
    # The recipient's signed links, for whoever holds them: the personal link sends on (to the
    # service, to joining the authority, or to sign-up) and shows nothing; the opt-out records
    # the address of its own token. Tampered tokens: test_tampered_outreach_tokens_are_refused.
    "outreach:campaign_link": Row(
        everyone(REDIRECT),
        owners=ALL,
        kwargs=lambda world, o: {"token": world.link_tokens[o]},
    ),
    "outreach:opt_out": Row(
        everyone(),
        method="post",
        owners=ALL,
        kwargs=lambda world, o: {"token": world.opt_out_tokens[o]},
    ),
    # --- reports ------------------------------------------------------------------------------
    # One state → straight to its report; the admin sees all and chooses.
    "reports:state_overview": Row(rule(seen=REDIRECT, forbidden=STAFF, admin=OK, federal=OK)),
    "reports:public_summary": Row(everyone()),
    "reports:federal": Row(everyone()),
    "reports:state_report": Row(reports(), owners=STATES, kwargs=state),
    "reports:state_report_pdf": Row(reports(), owners=STATES, kwargs=state),
    "reports:map_report": Row(reports(), owners=STATES, kwargs=state),
    "reports:service_report": Row(
        reports(), owners=STATES, kwargs=lambda world, o: {**state(world, o), **slug(world, o)}
    ),
    "reports:district_report": Row(
        reports(), owners=ALL, kwargs=lambda world, o: {"ags": world.districts[o].ags}
    ),
    # --- open data API (aggregates only, no people) -------------------------------------------
    "api-service-list": Row(everyone()),
    "api-service-detail": Row(everyone(), kwargs=slug),
    "api-coverage-state-list": Row(everyone()),
    "api-coverage-state-detail": Row(everyone(), owners=STATES, kwargs=state),
    "api-coverage-region-list": Row(everyone(), owners=STATES, kwargs=state),
    "api-coverage-district-list": Row(everyone(), owners=STATES, kwargs=state),
    "api-coverage-service-detail": Row(everyone(), kwargs=slug),
    "api-coverage-federal": Row(everyone()),
    "api_schema": Row(everyone()),
}

# URL names the matrix does not walk, each with its reason; covered by samples below.
EXCLUDED = {
    "admin": "Django admin under /betrieb/: only superusers (samples in test_admin_samples)",
    "allauth": "allauth's own account and MFA pages (samples in test_allauth_samples)",
    "set_language": "i18n language switch: sets a cookie, no data, no permission",
    "static/media": "static files are served by whitenoise/staticfiles, media by no URL at all",
}


def _walk(resolver: URLResolver, namespace: str = "") -> list[tuple[str | None, Any, str]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((name, pattern, namespace))
    return found


def exclusion_of(name: str | None, pattern: URLPattern, namespace: str) -> str | None:
    module = getattr(pattern.callback, "__module__", "") or ""
    if namespace.split(":")[0] == "admin" or module.startswith("django.contrib.admin"):
        return "admin"
    if module.startswith("allauth."):
        return "allauth"
    if name == "set_language":
        return "set_language"
    if module.startswith(("django.views.static", "django.contrib.staticfiles")):
        return "static/media"
    return None


def resolver_names() -> set[str]:
    names = set()
    for name, pattern, namespace in _walk(get_resolver()):
        if exclusion_of(name, pattern, namespace) is None:
            assert name, f"an unnamed URL pattern cannot be checked: {pattern.pattern}"
            names.add(name)
    return names


def test_every_url_name_has_an_expectation() -> None:
    names = resolver_names()
    assert names - set(EXPECTATIONS) == set(), "URL names without a row in EXPECTATIONS"
    assert set(EXPECTATIONS) - names == set(), "rows for URL names the resolver does not know"


CASES = [
    pytest.param(name, role, owner, id=f"{name}-{owner}-{role}")
    for name, row in EXPECTATIONS.items()
    for owner in row.owners
    for role in w.ROLES
]
OBJECT_COMBINATIONS = sum(len(row.owners) for row in EXPECTATIONS.values())
MATRIX = {
    "roles": len(w.ROLES),
    "url_names": len(EXPECTATIONS),
    "url_names_with_objects": sum(row.owners != ("-",) for row in EXPECTATIONS.values()),
    "url_object_combinations": OBJECT_COMBINATIONS,
    "cases": len(CASES),
}


def test_matrix_size_is_documented() -> None:
    plain = MATRIX["url_names"] - MATRIX["url_names_with_objects"]
    objects = OBJECT_COMBINATIONS - plain
    text = " ".join(__doc__.split())
    assert f"{MATRIX['roles']} roles × {MATRIX['url_names']} URL names" in text, MATRIX
    assert f"{plain} names without object" in text, MATRIX
    assert f"{MATRIX['url_names_with_objects']} with objects" in text, MATRIX
    assert f"({objects} URL × object combinations)" in text, MATRIX
    assert f"= {MATRIX['cases']} cases" in text, MATRIX
    print(f"permission matrix: {MATRIX}")


# --- the world, built once per module ---------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once; each test runs in a savepoint inside this block and is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield w.build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    # MFA has its own tests (test_hardening); here a signed-in role is past it.
    settings.DIGITALMARKT_REQUIRE_MFA_ROLES = []


@pytest.fixture
def documents(settings, world) -> None:
    """The uploaded contracts, in this test's MEDIA_ROOT."""
    for owner in w.OWNERS:
        path = settings.MEDIA_ROOT / w.DOCUMENT_NAME.format(owner=owner)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(w.PDF)


def request_as(client, world: w.World, name: str, role: str, owner: str):
    row = EXPECTATIONS[name]
    if role != "anon":
        client.force_login(world.users[role])
    url = reverse(name, kwargs=row.kwargs(world, owner))
    data = row.data(world, owner)
    if row.content_type == "json":
        return client.generic(row.method.upper(), url, data=__import__("json").dumps(data))
    return getattr(client, row.method)(url, data)


def assert_answer(response, expected: Any, label: str) -> None:
    login = reverse("account_login")
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert response["Location"].startswith(login), label
    elif expected == REFUSED:  # the page again, with the reason and what was typed
        assert response.status_code == 400, label
    elif expected in (REDIRECT, KEPT):
        assert response.status_code == 302, label
        assert not response["Location"].startswith(login), label
    else:
        assert response.status_code == expected, label


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "owner"), CASES)
def test_permission(client, world, documents, name: str, role: str, owner: str) -> None:
    row = EXPECTATIONS[name]
    expected = row.expect(role, owner)
    refused = expected in (LOGIN, KEPT, REFUSED, FORBIDDEN, NOT_FOUND, 405)
    before = owned_data() if row.method == "post" and refused else None

    response = request_as(client, world, name, role, owner)

    assert_answer(response, expected, f"{name} {owner} as {role}: {response.status_code}")
    if before is not None:
        assert owned_data() == before, f"a refused {name} changed data"


# --- samples of what the matrix leaves out ---------------------------------------------------

ADMIN_SAMPLES = ["/betrieb/", "/betrieb/orders/order/", "/betrieb/auditlog/logentry/"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", w.ROLES)
@pytest.mark.parametrize("path", ADMIN_SAMPLES)
def test_admin_samples(client, world, role: str, path: str) -> None:
    if role != "anon":
        client.force_login(world.users[role])
    response = client.get(path)
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/betrieb/login/")


ALLAUTH_SAMPLES = {
    # signed in, the login and signup pages send one on to the portal
    "account_login": (OK, REDIRECT),
    "account_signup": (OK, REDIRECT),
    "account_email": (LOGIN, OK),
    "account_change_password": (LOGIN, OK),
    "mfa_index": (LOGIN, OK),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anon", "staff_a", "coord_by", "viewer_by"])
@pytest.mark.parametrize("name", list(ALLAUTH_SAMPLES))
def test_allauth_samples(client, world, role: str, name: str) -> None:
    if role != "anon":
        client.force_login(world.users[role])
    expected = ALLAUTH_SAMPLES[name][role != "anon"]
    assert_answer(client.get(reverse(name)), expected, f"{name} as {role}")


# --- ministry viewers never receive personal data --------------------------------------------

VIEWER_PAGES = [
    (viewer, name, owner)
    for viewer in VIEWERS
    for name, row in EXPECTATIONS.items()
    if row.method == "get"
    for owner in row.owners
    if row.expect(viewer, owner) == OK
]
EXPORT_VARIANTS = [
    ("reports:state_report", {"format": "csv"}),
    ("reports:district_report", {"format": "csv"}),
    ("reports:service_report", {"format": "csv", "table": "kreise"}),
    ("reports:service_report", {"format": "csv", "table": "regierungsbezirke"}),
    ("reports:service_report", {"format": "csv", "table": "verlauf"}),
    ("reports:map_report", {"format": "csv"}),
    ("reports:public_summary", {"format": "csv"}),
    ("reports:federal", {"format": "csv", "table": "laender"}),
    ("reports:federal", {"format": "csv", "table": "leistungen-je-land"}),
]


def assert_no_personal_data(content: bytes, label: str) -> None:
    text = content.decode("utf-8", errors="replace")
    leaked = [s for s in w.pii_strings() if s in text]
    assert not leaked, f"{label} shows personal data: {leaked}"


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "name", "owner"), VIEWER_PAGES)
def test_viewer_pages_carry_no_personal_data(
    client, world, documents, viewer: str, name: str, owner: str
) -> None:
    client.force_login(world.users[viewer])
    response = request_as(client, world, name, viewer, owner)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert_no_personal_data(body, f"{name} ({owner})")


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("name", "query"), EXPORT_VARIANTS)
def test_viewer_exports_carry_no_personal_data(
    client, world, viewer: str, name: str, query: dict
) -> None:
    client.force_login(world.users[viewer])
    kwargs = EXPECTATIONS[name].kwargs(world, "A")
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 200
    assert_no_personal_data(response.content, f"{name} {query}")


def test_the_pii_markers_do_show_where_they_belong(client, world, db) -> None:
    """Guards the test above: the same markers are visible to the order's own staff."""
    client.force_login(world.users["staff_a"])
    response = client.get(reverse("orders:order_detail", kwargs=order_number(world, "A")))
    assert w.CONTACT["A"][1] in response.content.decode()


# --- tampered outreach tokens -----------------------------------------------------------------

TAMPERED = {
    # name: (method, the world's tokens, expected answer)
    "outreach:campaign_link": ("get", "link_tokens", NOT_FOUND),
    "outreach:opt_out": ("post", "opt_out_tokens", NOT_FOUND),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", w.ROLES)
@pytest.mark.parametrize("owner", w.OWNERS)
@pytest.mark.parametrize("name", list(TAMPERED))
def test_tampered_outreach_tokens_are_refused(
    client, world, name: str, owner: str, role: str
) -> None:
    """A token whose signature does not match gets the app's refusal and changes nothing
    (not even the link's "opened")."""
    method, tokens, expected = TAMPERED[name]
    if role != "anon":
        client.force_login(world.users[role])
    before = owned_data()
    token = w.tampered(getattr(world, tokens)[owner])
    response = getattr(client, method)(reverse(name, kwargs={"token": token}))
    assert_answer(response, expected, f"{name} {owner} as {role}: {response.status_code}")
    assert owned_data() == before, f"a tampered {name} changed data"
    # Nothing of the token's owner: the page names only the signed-in person themselves.
    user = world.users[role]
    own = {user.get_full_name(), user.first_name, user.last_name, user.email} if user else set()
    text = response.content.decode()
    leaked = [s for s in w.pii_strings() if s in text and s not in own]
    assert not leaked, f"a tampered {name} ({owner}) shows personal data: {leaked}"
