"""Bad input (hypothesis): random text, huge values, wrong types, unicode, NUL bytes and
injection strings in every form, query parameter and path parameter of the portal.

Properties: never a server error (the test client re-raises any exception a view lets
through, so a 500 fails the example); an invalid form answers with its German validation
messages and leaves the owners' data exactly as it was. The world (two states, three
authorities, orders in roll-in) is tests/security/world.py, built once per module.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import InvitationForm, MembershipRejectForm, MembershipRequestForm
from orders.forms import CancelForm, CommentForm, OrderContactForm
from rollin.forms import ReasonForm
from tests.security import world as w
from tests.security.world import owned_data

INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE orders_order; --",
    '" onmouseover="alert(1)',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "a\x00b",
    "${jndi:ldap://x}",
    "😀" * 50,
    "\u202e\u0000\ufeff",
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "[]",
    "{}",
    "true",
    " ",
]
nasty = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.integers().map(str),
    st.sampled_from(["x" * 5001, "9" * 3000, "ä" * 2001]),
)
HYPOTHESIS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Parametrized properties run per page: fewer examples each keeps the file short.
HYPOTHESIS_PER_PAGE = settings(HYPOTHESIS, max_examples=6)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield w.build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_second_factor(settings) -> None:
    settings.DIGITALMARKT_REQUIRE_MFA_ROLES = []


@contextmanager
def rolled_back() -> Iterator[None]:
    """One hypothesis example: whatever it changed is undone before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def as_role(client, world: w.World, role: str):
    client.force_login(world.users[role])
    return client


def refused_for_nul(response, values, before) -> bool:
    """A NUL anywhere is refused by portal.security.RejectNulBytesMiddleware, in German."""
    flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
    if not any("\x00" in str(x) for x in flat):
        return False
    assert response.status_code == 400
    assert "unzulässiges Steuerzeichen" in response.content.decode()
    assert owned_data() == before
    return True


def german_errors(form: forms.BaseForm) -> list[str]:
    with translation.override("de"):
        return [html.escape(str(e)) for errors in form.errors.values() for e in errors]


def assert_shown(response, messages: list[str]) -> None:
    page = response.content.decode()
    for message in messages:
        assert message in page or message.replace("&#x27;", "'") in page, message


# --- forms: invalid input is refused in German and changes nothing ---------------------------


@pytest.mark.django_db
@HYPOTHESIS
@given(text=nasty)
def test_order_comment(client, world, text: str) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        form, before = CommentForm({"text": text}), owned_data()
        url = reverse("orders:order_comment_add", args=[world.orders["A"].number])
        response = client.post(url, {"text": text})
        if refused_for_nul(response, [text], before):
            return
        if not form.is_valid():
            assert response.status_code == 400
            assert_shown(response, german_errors(form))
            assert owned_data() == before
        else:
            assert response.status_code == 302


@pytest.mark.django_db
@HYPOTHESIS
@given(name=nasty, email=nasty, phone=nasty)
def test_order_contact_edit(client, world, name: str, email: str, phone: str) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        order = world.orders["A"]
        data = {"contact_name": name, "contact_email": email, "contact_phone": phone}
        form, before = OrderContactForm(data, instance=order), owned_data()
        response = client.post(reverse("orders:order_contact_edit", args=[order.number]), data)
        if refused_for_nul(response, list(data.values()), before):
            return
        if not form.is_valid():
            assert response.status_code == 200
            assert_shown(response, german_errors(form))
            assert owned_data() == before
        else:
            assert response.status_code == 302


@pytest.mark.django_db
@HYPOTHESIS
@given(reason=nasty)
def test_order_cancel(client, world, reason: str) -> None:
    with rolled_back():
        client = as_role(client, world, "coord_by")
        form, before = CancelForm({"reason": reason}), owned_data()
        url = reverse("orders:order_cancel", args=[world.orders["A"].number])
        response = client.post(url, {"reason": reason})
        if refused_for_nul(response, [reason], before):
            return
        if not form.is_valid():
            assert response.status_code == 400
            assert_shown(response, german_errors(form))
            assert owned_data() == before
        else:
            assert response.status_code == 302


CHECKOUT_FIELDS = [
    "fachverfahren",
    "fachverfahren_other",
    "contact_name",
    "contact_email",
    "contact_phone",
    "desired_golive",
    "funding_requested",
]


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(CHECKOUT_FIELDS), nasty, min_size=1))
def test_checkout_service(client, world, data: dict[str, str]) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        before = owned_data()
        url = reverse("orders:checkout_service", args=[world.service.slug])
        response = client.post(url, data)
        if refused_for_nul(response, list(data.values()), before):
            return
        # The draft is kept as typed; the order is placed only after the review step.
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert "Bitte" in response.content.decode() or "Feld" in response.content.decode()
        assert owned_data() == before


@pytest.mark.django_db
@HYPOTHESIS
@given(checkout_key=nasty, terms=nasty)
def test_checkout_review(client, world, checkout_key: str, terms: str) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        before = owned_data()
        data = {"checkout_key": checkout_key, "terms_accepted": terms}
        response = client.post(reverse("orders:checkout_review"), data)
        if refused_for_nul(response, list(data.values()), before):
            return
        assert response.status_code in (200, 302)
        assert owned_data() == before  # the basket's draft is incomplete: nothing is ordered


@pytest.mark.django_db
@HYPOTHESIS
@given(service=nasty)
def test_basket_add_with_an_unknown_service(client, world, service: str) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        before = owned_data()
        response = client.post(reverse("orders:basket_add"), {"service": service})
        if refused_for_nul(response, [service], before):
            return
        assert response.status_code == 404
        assert owned_data() == before


@pytest.mark.django_db
@HYPOTHESIS
@given(message=nasty)
def test_membership_request(client, world, message: str) -> None:
    with rolled_back():
        client = as_role(client, world, "viewer_by")
        form, before = MembershipRequestForm({"message": message}), owned_data()
        url = reverse("accounts:membership_request", args=[world.authorities["A"].pk])
        response = client.post(url, {"message": message})
        if refused_for_nul(response, [message], before):
            return
        if not form.is_valid():
            assert response.status_code == 200
            assert_shown(response, german_errors(form))
            assert owned_data() == before
        else:  # a viewer has no membership to ask for: the service refuses in German, or accepts
            assert response.status_code in (200, 302)


@pytest.mark.django_db
@HYPOTHESIS
@given(query=nasty)
def test_authority_search(client, world, query: str) -> None:
    with rolled_back():
        from tests import factories

        client.force_login(factories.StaffFactory(authority=None, email="ohne@example.org"))
        response = client.get(reverse("accounts:my_authority"), {"q": query})
        assert response.status_code == (400 if "\x00" in query else 200)


@pytest.mark.django_db
@HYPOTHESIS
@given(reason=nasty)
def test_membership_reject(client, world, reason: str) -> None:
    with rolled_back():
        client = as_role(client, world, "coord_by")
        membership = world.memberships["A"]
        prefix = f"reject-{membership.pk}"
        form = MembershipRejectForm({f"{prefix}-reason": reason}, prefix=prefix)
        before = owned_data()
        url = reverse("accounts:membership_reject", args=[membership.pk])
        response = client.post(url, {f"{prefix}-reason": reason}, follow=True)
        if refused_for_nul(response, [reason], before):
            return
        assert response.status_code == 200
        if not form.is_valid():
            assert (
                "Bitte geben Sie eine Begründung für die Ablehnung an." in response.content.decode()
            )
            assert owned_data() == before


@pytest.mark.django_db
@HYPOTHESIS
@given(email=nasty, authority=st.one_of(nasty, st.just("")))
def test_invitation_create(client, world, email: str, authority: str) -> None:
    with rolled_back():
        client = as_role(client, world, "coord_by")
        data = {"email": email, "authority": authority}
        form = InvitationForm(data, user=world.users["coord_by"])
        before = owned_data()
        response = client.post(reverse("accounts:invitation_create"), data)
        if refused_for_nul(response, list(data.values()), before):
            return
        assert not form.is_valid()  # no nasty value is a Bavarian authority's id
        assert response.status_code == 200
        assert_shown(response, german_errors(form))
        assert owned_data() == before


@pytest.mark.django_db
@HYPOTHESIS
@given(token=nasty)
def test_invitation_accept_with_a_wrong_token(client, world, token: str) -> None:
    with rolled_back():
        client = as_role(client, world, "viewer_by")
        before = owned_data()
        url = reverse("accounts:invitation_accept", args=["x"]).replace("x", quote(token, safe=""))
        response = client.post(url)
        assert response.status_code in (200, 400, 404)
        assert owned_data() == before


ROLLIN_REASON_ACTIONS = [
    ("rollin:hold", "hold", "number"),
    ("rollin:cancel", "cancel", "number"),
    ("rollin:item_reject", "reject", "item"),
    ("dashboard:item_reject", "reject", "both"),
]


@pytest.mark.django_db
@HYPOTHESIS
@given(action=st.sampled_from(ROLLIN_REASON_ACTIONS), reason=nasty)
def test_rollin_reason_forms(client, world, action: tuple[str, str, str], reason: str) -> None:
    with rolled_back():
        name, prefix, args = action
        client = as_role(client, world, "coord_by")
        order, item = world.orders["A"], world.doc_items["A"]
        if prefix == "reject":
            prefix = f"reject{item.pk}"
        kwargs = {
            "number": {"number": order.number},
            "item": {"item_id": item.pk},
            "both": {"number": order.number, "item_id": item.pk},
        }[args]
        form, before = ReasonForm({f"{prefix}-reason": reason}, prefix=prefix), owned_data()
        response = client.post(reverse(name, kwargs=kwargs), {f"{prefix}-reason": reason})
        if refused_for_nul(response, [reason], before):
            return
        if not form.is_valid():
            assert response.status_code in (302, 400)
            assert owned_data() == before
            page = client.get(response["Location"]) if response.status_code == 302 else response
            assert "Bitte" in page.content.decode() or "Feld" in page.content.decode()


CONTACT_FIELDS = [
    f"{role}_{part}"
    for role in ("project_lead", "technical", "specialist", "vendor", "data_protection")
    for part in ("name", "email")
]


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(CONTACT_FIELDS), nasty))
def test_rollin_item_complete(client, world, data: dict[str, str]) -> None:
    with rolled_back():
        client = as_role(client, world, "staff_a")
        item = world.staff_items["A"]
        posted = {f"item{item.pk}-{key}": value for key, value in data.items()}
        before = owned_data()
        response = client.post(reverse("rollin:item_complete", args=[item.pk]), posted)
        if refused_for_nul(response, list(data.values()), before):
            return
        if len(data) < len(CONTACT_FIELDS):  # a required contact is missing
            assert response.status_code == 400
            assert (
                "Pflichtfeld" in response.content.decode() or "Bitte" in response.content.decode()
            )
            assert owned_data() == before
        else:
            assert response.status_code in (302, 400)


BULK_FIELDS = ["action", "scope", "reason", "assignee", "query", "order"]


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(BULK_FIELDS), st.one_of(nasty, st.lists(nasty))))
def test_dashboard_bulk_action(client, world, data: dict[str, Any]) -> None:
    with rolled_back():
        client = as_role(client, world, "coord_by")
        before = owned_data()
        response = client.post(reverse("dashboard:bulk_action"), data)
        if refused_for_nul(response, list(data.values()), before):
            return
        assert response.status_code == 302
        # Nothing nasty names a Bavarian order id, so no order may change.
        if not any(str(world.orders[o].pk) == str(v) for o in w.OWNERS for v in data.values()):
            assert owned_data() == before


# --- query parameters and path parameters of pages and API: never a server error -------------

GET_PAGES = [
    ("anon", "catalog:service_list", {}, ["q", "level", "status", "prerequisite", "page"]),
    ("staff_a", "orders:order_list", {}, ["status", "page"]),
    ("staff_a", "portal:notifications", {}, ["page"]),
    ("coord_by", "accounts:membership_queue", {}, ["page"]),
    ("coord_by", "dashboard:order_list", {}, [
        "q", "state", "region", "district", "authority", "service", "stage", "status",
        "assignee", "ordered_after", "ordered_before", "sort", "page"]),
    ("coord_by", "dashboard:order_export", {}, ["q", "state", "status", "sort", "ordered_after"]),
    ("coord_by", "dashboard:my_tasks", {}, ["page"]),
    ("viewer_by", "reports:state_report", {"ags": "09"}, ["format"]),
    ("viewer_by", "reports:service_report", {"ags": "09", "slug": "meldebescheinigung"},
     ["format", "table", "sort"]),
    ("viewer_by", "reports:district_report", {"ags": "09273"}, ["format"]),
    ("anon", "reports:public_summary", {}, ["land", "service", "format"]),
    ("anon", "api-service-list", {}, ["q", "level", "status", "prerequisite", "fachverfahren",
                                      "limit", "offset"]),
    ("anon", "api-coverage-state-list", {}, ["service", "limit", "offset"]),
    ("anon", "api-coverage-district-list", {"ags": "09"}, ["service", "limit", "offset"]),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "name", "kwargs", "params"), GET_PAGES, ids=[p[1] for p in GET_PAGES]
)
@HYPOTHESIS_PER_PAGE
@given(data=st.data())
def test_query_parameters(client, world, role, name, kwargs, params, data):
    with rolled_back():
        if role != "anon":
            client = as_role(client, world, role)
        query = data.draw(st.dictionaries(st.sampled_from(params), nasty, min_size=1))
        before = owned_data()
        response = client.get(reverse(name, kwargs=kwargs), query)
        assert response.status_code in (200, 302, 400, 404), response.status_code
        assert owned_data() == before


PATH_PARAMS = [
    ("staff_a", "orders:order_detail", "number"),
    ("coord_by", "dashboard:order_detail", "number"),
    ("coord_by", "rollin:hold", "number"),
    ("viewer_by", "reports:state_report", "ags"),
    ("viewer_by", "reports:district_report", "ags"),
    ("anon", "catalog:service_detail", "slug"),
    ("anon", "api-coverage-state-detail", "ags"),
    ("anon", "api-service-detail", "slug"),
    ("anon", "rollin:sim_probe", "authority_code"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "param"), PATH_PARAMS, ids=[p[1] for p in PATH_PARAMS])
@HYPOTHESIS_PER_PAGE
@given(value=nasty.filter(lambda v: v.strip()))
def test_path_parameters(client, world, role, name, param, value):
    with rolled_back():
        if role != "anon":
            client = as_role(client, world, role)
        placeholder = "platzhalter" if param != "ags" else "00"
        url = reverse(name, kwargs={param: placeholder}).replace(placeholder, quote(value, safe=""))
        method = client.post if name == "rollin:hold" else client.get
        before = owned_data()
        response = method(url)
        assert response.status_code in (200, 400, 404), response.status_code
        assert owned_data() == before


@pytest.fixture
def simulator_caller(settings) -> dict[str, str]:
    """The connector's credentials: bad input is tested past the simulator's secret."""
    settings.ROLLIN_SIMULATOR_SECRET = "geheimnis-des-connectors-fuer-die-tests-0123"
    return {"HTTP_AUTHORIZATION": f"Bearer {settings.ROLLIN_SIMULATOR_SECRET}"}


@pytest.mark.django_db
@HYPOTHESIS
@given(body=st.one_of(st.binary(max_size=200), nasty.map(str.encode)))
def test_simulator_takes_any_body(client, world, simulator_caller, body: bytes) -> None:
    with rolled_back():
        url = reverse("rollin:sim_submissions", args=[world.authorities["A"].code])
        response = client.generic(
            "POST", url, body, content_type="application/json", **simulator_caller
        )
        assert response.status_code in (200, 201, 400)


@pytest.mark.django_db
@pytest.mark.parametrize("body", [b"0", b"[]", b'"text"'])
def test_simulator_refuses_json_that_is_no_object(
    client, world, simulator_caller, body: bytes
) -> None:
    # Was a 500 (body.get on an int or list) until rollin.views checked the type.
    url = reverse("rollin:sim_submissions", args=[world.authorities["A"].code])
    response = client.generic(
        "POST", url, body, content_type="application/json", **simulator_caller
    )
    assert response.status_code == 400
