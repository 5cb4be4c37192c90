"""Only coordinators (of their states) and admins reach the coordination pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboard.models import BulkJob
from dashboard.selectors import dashboard_orders_for
from orders.selectors import order_visible_to
from tests import factories
from tests.dashboard.conftest import order_in

pytestmark = pytest.mark.django_db


def _urls(number: str, item_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("dashboard:overview")),
        ("get", reverse("dashboard:order_list")),
        ("get", reverse("dashboard:order_export")),
        ("get", reverse("dashboard:my_tasks")),
        ("get", reverse("dashboard:white_spots")),
        ("get", reverse("dashboard:bulk_job", args=[1])),
        ("get", reverse("dashboard:order_detail", args=[number])),
        ("post", reverse("dashboard:bulk_action")),
        ("post", reverse("dashboard:item_approve", args=[number, item_id])),
        ("post", reverse("dashboard:item_reject", args=[number, item_id])),
        *(
            ("post", reverse(f"dashboard:order_{action}", args=[number]))
            for action in ("hold", "resume", "cancel", "assign", "remind")
        ),
    ]


def test_every_dashboard_url_is_covered_by_the_access_tests() -> None:
    from django.urls import resolve

    from dashboard import urls

    covered = {resolve(url).url_name for _method, url in _urls("DM-2026-000001", 1)}
    assert covered == {pattern.name for pattern in urls.urlpatterns}


@pytest.fixture
def bavarian_order(world):
    return order_in(world.kelheim, world.meldung)


@pytest.mark.parametrize(
    "factory", [factories.StaffFactory, factories.ViewerFactory], ids=["staff", "viewer"]
)
def test_staff_and_viewers_get_403_on_every_dashboard_url(
    client, world, bavarian_order, factory
) -> None:
    if factory is factories.StaffFactory:
        user = factory(authority=bavarian_order.authority)
    else:
        user = factory(states=[world.bavaria])
    client.force_login(user)
    item = bavarian_order.rollin.items.first()
    for method, url in _urls(bavarian_order.number, item.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url


def test_anonymous_is_sent_to_login(client, world, bavarian_order) -> None:
    item = bavarian_order.rollin.items.first()
    for method, url in _urls(bavarian_order.number, item.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_coordinator_of_another_state_sees_none_of_bavarias_orders(
    client, world, bavarian_order
) -> None:
    hessian = order_in(world.darmstadt, world.meldung)
    client.force_login(world.hesse_coordinator)
    listing = client.get(reverse("dashboard:order_list")).content.decode()
    assert hessian.number in listing
    assert bavarian_order.number not in listing
    overview = client.get(reverse("dashboard:overview"))
    assert overview.context["overview"].totals["ordered"] == 1
    export = b"".join(client.get(reverse("dashboard:order_export")).streaming_content)
    assert bavarian_order.number.encode() not in export
    assert (
        client.get(reverse("dashboard:order_detail", args=[bavarian_order.number])).status_code
        == 404
    )
    item = bavarian_order.rollin.items.first()
    response = client.post(reverse("dashboard:item_approve", args=[bavarian_order.number, item.pk]))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_the_lists_scope_is_the_visibility_rule_through_the_roll_ins_copy(
    world, bavarian_order
) -> None:
    hessian = order_in(world.darmstadt, world.meldung)
    for coordinator in (world.coordinator, world.hesse_coordinator):
        listed = set(dashboard_orders_for(coordinator))
        assert listed == set(order_visible_to(coordinator)) & {bavarian_order, hessian}
        assert len(listed) == 1
    world.coordinator.is_active = False
    assert not dashboard_orders_for(world.coordinator).exists()


def test_bulk_action_on_foreign_orders_does_nothing(client, world, bavarian_order) -> None:
    client.force_login(world.hesse_coordinator)
    client.post(
        reverse("dashboard:bulk_action"),
        {"action": "hold", "scope": "selected", "reason": "Test", "order": [bavarian_order.pk]},
    )
    job = BulkJob.objects.get()
    assert job.total == 0
    bavarian_order.rollin.refresh_from_db()
    assert bavarian_order.rollin.status == "waiting"


def test_coordinator_and_admin_see_the_pages(client, world, bavarian_order) -> None:
    for user in (world.coordinator, factories.AdminFactory()):
        client.force_login(user)
        assert client.get(reverse("dashboard:overview")).status_code == 200
        detail = client.get(reverse("dashboard:order_detail", args=[bavarian_order.number]))
        assert detail.status_code == 200
        assert bavarian_order.contact_email in detail.content.decode()


def test_the_overview_reads_the_coordinators_own_states_and_all_for_operators(world) -> None:
    from dashboard.access import coordinated_state_ids, coordinated_states

    both = factories.CoordinatorFactory(
        email="koordination-beide@example.org", states=[world.bavaria, world.hesse]
    )
    assert coordinated_state_ids(world.coordinator) == [world.bavaria.pk]
    assert coordinated_state_ids(world.hesse_coordinator) == [world.hesse.pk]
    assert sorted(coordinated_state_ids(both)) == sorted([world.bavaria.pk, world.hesse.pk])
    admin = factories.AdminFactory()
    assert sorted(coordinated_state_ids(admin)) == sorted([world.bavaria.pk, world.hesse.pk])
    # The same states as the pages that list them.
    for user in (world.coordinator, both, admin):
        assert sorted(coordinated_state_ids(user)) == sorted(s.pk for s in coordinated_states(user))
