"""The audit trail records who changed what (before/after) and every sign-in attempt."""

from __future__ import annotations

import logging

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Membership, Role
from audit.logins import LOGIN_FAILED, LOGIN_SUCCEEDED
from catalog.models import Service
from tests.factories import DEFAULT_PASSWORD, AdminFactory, AuthorityFactory, StaffFactory
from tests.factories_orders import OrderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def entries_for(obj: object) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "id"))


def test_a_change_of_an_order_records_actor_and_before_after() -> None:
    order = OrderFactory(contact_name="Alt")
    admin = AdminFactory()

    # set_actor is what AuditlogMiddleware does for each request (see the admin test below).
    with set_actor(admin):
        order.contact_name = "Neu"
        order.save()

    change = [e for e in entries_for(order) if e.action == LogEntry.Action.UPDATE][-1]
    assert change.changes_dict["contact_name"] == ["Alt", "Neu"]
    assert change.actor == admin


def test_order_creation_is_recorded() -> None:
    order = OrderFactory()

    assert entries_for(order)[0].action == LogEntry.Action.CREATE


def test_role_authority_and_states_changes_are_recorded_without_password(bavaria) -> None:
    user = StaffFactory()
    user.role = Role.COORDINATOR
    user.authority = None
    user.set_password("Ein-ganz-anderes-Passwort-1")
    user.save()
    user.states.add(bavaria)

    entries = entries_for(user)
    update = next(
        e for e in entries if e.action == LogEntry.Action.UPDATE and "role" in e.changes_dict
    )
    assert update.changes_dict["role"] == ["staff", "coordinator"]
    assert "authority" in update.changes_dict
    assert all("password" not in (e.changes_dict or {}) for e in entries)
    assert any("states" in (e.changes_dict or {}) for e in entries)


def test_membership_decisions_and_catalog_changes_are_recorded() -> None:
    membership = Membership.objects.create(
        user=StaffFactory(authority=None), authority=AuthorityFactory()
    )
    service = ServiceFactory(name="Alt")
    service.name = "Neu"
    service.save()

    assert entries_for(membership)[0].action == LogEntry.Action.CREATE
    assert entries_for(service)[-1].changes_dict["name"] == ["Alt", "Neu"]


def test_the_actor_of_a_web_request_is_recorded(client) -> None:
    admin = AdminFactory()
    service = ServiceFactory()
    client.force_login(admin)

    response = client.post(
        reverse("admin:catalog_service_delete", args=[service.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    deletion = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Service),
        object_pk=str(service.pk),
        action=LogEntry.Action.DELETE,
    )
    assert deletion.actor == admin


def test_the_audit_log_is_visible_to_admins_and_cannot_be_changed_or_deleted(client) -> None:
    service = ServiceFactory()
    entry = entries_for(service)[0]
    client.force_login(AdminFactory())

    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 200
    delete = client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_staff_cannot_see_the_audit_log(client) -> None:
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:auditlog_logentry_changelist"))

    assert response.status_code == 302
    assert "/betrieb/login/" in response["Location"]


def test_login_success_and_failure_are_logged_without_the_password(client, caplog) -> None:
    user = StaffFactory(email="erika@example.org")
    EmailAddress = pytest.importorskip("allauth.account.models").EmailAddress
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    caplog.set_level(logging.INFO, logger="digitalmarkt.security")

    client.post(reverse("account_login"), {"login": user.email, "password": "falsch-falsch-1"})
    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})

    events = [r.event for r in caplog.records if r.name == "digitalmarkt.security"]
    assert events == [LOGIN_FAILED, LOGIN_SUCCEEDED]
    assert "falsch-falsch-1" not in caplog.text
    assert DEFAULT_PASSWORD not in caplog.text
    access = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(user.pk))
    assert sorted(access.values_list("changes_text", flat=True)) == sorted(
        [LOGIN_FAILED, LOGIN_SUCCEEDED]
    )
    assert access.get(changes_text=LOGIN_SUCCEEDED).actor == user
    stored = str(list(LogEntry.objects.values()))
    assert "falsch-falsch-1" not in stored
    assert DEFAULT_PASSWORD not in stored


def test_failed_login_of_an_unknown_address_is_logged(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="digitalmarkt.security")

    client.post(reverse("account_login"), {"login": "niemand@example.org", "password": "x" * 12})

    assert [r.email for r in caplog.records if r.name == "digitalmarkt.security"] == [
        "niemand@example.org"
    ]
    assert LogEntry.objects.filter(
        object_repr="niemand@example.org", changes_text=LOGIN_FAILED
    ).exists()


def test_worker_bookkeeping_leaves_no_audit_entry_but_a_real_change_does() -> None:
    from django.utils import timezone

    from tests.factories_rollin import order_with_rollin

    rollin = order_with_rollin().rollin
    before = len(entries_for(rollin))

    rollin.claim_token = "abc"
    rollin.claimed_until = timezone.now()
    rollin.last_seq += 1
    rollin.save()
    assert len(entries_for(rollin)) == before

    rollin.hold_reason = "Software-Umstellung"
    rollin.save()
    change = entries_for(rollin)[-1]
    assert change.changes_dict == {"hold_reason": ["", "Software-Umstellung"]}
