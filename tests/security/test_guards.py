"""The input guards found by the bad-input tests, and the remaining points of issue 8 that had
no test of their own: throttling lives in the cache, audit entries cannot be changed."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.core.cache import cache
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, AdminFactory, StaffFactory
from tests.factories_orders import OrderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/bestellungen/DM%00-1/",
        "/berichte/land/0%009/",
        "/api/v1/coverage/states/0%009/",
        "/leistungen/?q=a%00b",
        "/api/v1/coverage/states/?service=%00",
    ],
)
def test_a_nul_byte_in_path_or_query_is_a_german_400(client, url: str) -> None:
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 400
    assert "unzulässiges Steuerzeichen" in response.content.decode()


def test_a_nul_byte_in_a_form_changes_nothing(client) -> None:
    order = OrderFactory(contact_name="Erika Alt")
    client.force_login(order.placed_by)
    response = client.post(
        reverse("orders:order_contact_edit", args=[order.number]),
        {"contact_name": "Erika\x00Neu", "contact_email": "e@example.org", "contact_phone": "1"},
    )
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.contact_name == "Erika Alt"


@pytest.mark.parametrize("query", ["limit=9" + "9" * 40, "offset=9" + "9" * 40])
def test_api_pagination_is_bounded(client, query: str) -> None:
    ServiceFactory()
    response = client.get(f"/api/v1/services/?{query}")
    assert response.status_code == 200
    if query.startswith("limit"):
        assert len(response.json()["results"]) == 1


def test_the_login_throttle_counts_in_the_cache(client) -> None:
    cache.clear()
    user = StaffFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for n in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": f"x{n}"})
    locked = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert "Zu viele gescheiterte Anmeldeversuche" in locked.content.decode()

    cache.clear()  # the counters are in the cache, nowhere else: clearing it lifts the lock
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    cache.clear()


def test_an_audit_entry_cannot_be_changed_through_the_admin(client) -> None:
    service = ServiceFactory(name="Vorher")
    entry = LogEntry.objects.get_for_object(service).first()
    original = (entry.changes_text, entry.object_repr, entry.action)
    client.force_login(AdminFactory())

    response = client.post(
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
        {"object_repr": "gefälscht", "changes_text": "gefälscht", "action": 2},
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.changes_text, entry.object_repr, entry.action) == original
