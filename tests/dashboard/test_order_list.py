"""Filters, search, sorting and paging of the coordinators' order list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dashboard.filters import _nulls_last
from rollin.models import RollinItem
from tests import factories
from tests.dashboard.conftest import order_in, past, populate
from tests.factories_rollin import complete_as_its_person

pytestmark = pytest.mark.django_db


def _numbers(client, **params) -> list[str]:
    response = client.get(reverse("dashboard:order_list"), params)
    assert response.status_code == 200
    return [order.number for order in response.context["page"]]


@pytest.fixture
def orders(client, world):
    client.force_login(world.coordinator)
    return {
        "kelheim_fs_overdue": order_in(
            world.kelheim, world.fuehrerschein, stage="vertrag", due_at=past(2), created_at=past(40)
        ),
        "kelheim_fs_ok": order_in(
            world.kelheim,
            world.fuehrerschein,
            stage="bestellt",
            due_at=past(-5),
            created_at=past(3),
        ),
        "regen_hold": order_in(
            world.regen, world.meldung, stage="vertrag", status="on_hold", created_at=past(10)
        ),
        "muc_failing": order_in(
            world.muenchen_land,
            world.meldung,
            stage="anbindung",
            status="failing",
            assignee=world.coordinator,
            created_at=past(20),
        ),
        "muc_live": order_in(
            world.muenchen_land, world.fuehrerschein, stage="wirkbetrieb", due_at=past(30)
        ),
    }


def _only(orders, *keys) -> set[str]:
    return {orders[k].number for k in keys}


def test_filter_by_geography(client, world, orders) -> None:
    assert set(_numbers(client, state=world.bavaria.pk)) == _only(orders, *orders)
    assert set(_numbers(client, region=world.oberbayern.pk)) == _only(
        orders, "muc_failing", "muc_live"
    )
    assert set(_numbers(client, district=world.kelheim.pk)) == _only(
        orders, "kelheim_fs_overdue", "kelheim_fs_ok"
    )
    name = orders["regen_hold"].authority.name
    assert set(_numbers(client, authority=name)) == _only(orders, "regen_hold")


def test_choosing_a_state_or_region_narrows_the_district_choices(client, world) -> None:
    operator = factories.AdminFactory()
    client.force_login(operator)

    def district_choices(**params):
        form = client.get(reverse("dashboard:order_list"), params).context["filter"].form
        return set(form.fields["district"].queryset)

    everything = {world.kelheim, world.regen, world.muenchen_land, world.darmstadt}
    assert district_choices() == everything
    assert district_choices(state=world.hesse.pk) == {world.darmstadt}
    assert district_choices(state=world.bavaria.pk, region=world.oberbayern.pk) == {
        world.muenchen_land
    }
    # A district outside the chosen state is refused with the form's message, not ignored.
    response = client.get(
        reverse("dashboard:order_list"), {"state": world.hesse.pk, "district": world.kelheim.pk}
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors["district"]


def test_filter_by_service_and_stage(client, world, orders) -> None:
    assert set(_numbers(client, service=world.meldung.pk)) == _only(
        orders, "regen_hold", "muc_failing"
    )
    assert set(_numbers(client, stage="vertrag")) == _only(
        orders, "kelheim_fs_overdue", "regen_hold"
    )


def test_filter_by_status(client, world, orders) -> None:
    assert set(_numbers(client, status="on_hold")) == _only(orders, "regen_hold")
    assert set(_numbers(client, status="failing")) == _only(orders, "muc_failing")
    # Live orders are never overdue, whatever their due date.
    assert set(_numbers(client, status="overdue")) == _only(orders, "kelheim_fs_overdue")
    # bestellt: the coordinator releases; vertrag: the authority uploads the contract first
    # (the countersignature is not due yet); an order on hold waits for nobody.
    assert set(_numbers(client, status="waiting_coordinator")) == _only(orders, "kelheim_fs_ok")
    assert set(_numbers(client, status="waiting_staff")) == _only(orders, "kelheim_fs_overdue")


def test_waiting_for_coordinator_after_the_contract_is_uploaded(client, world, orders) -> None:
    order = orders["kelheim_fs_overdue"]
    item = RollinItem.objects.get(rollin__order=order, definition__code="vertrag_hochladen")
    complete_as_its_person(order, item, world.coordinator)
    assert set(_numbers(client, status="waiting_coordinator")) == _only(
        orders, "kelheim_fs_ok", "kelheim_fs_overdue"
    )


def test_filter_by_assignee(client, world, orders) -> None:
    colleague = factories.CoordinatorFactory(states=[world.bavaria])
    from rollin.models import Rollin

    Rollin.objects.filter(order=orders["regen_hold"]).update(assignee=colleague)
    assert set(_numbers(client, assignee="me")) == _only(orders, "muc_failing")
    assert set(_numbers(client, assignee=str(colleague.pk))) == _only(orders, "regen_hold")
    assert set(_numbers(client, assignee="unassigned")) == _only(
        orders, "kelheim_fs_overdue", "kelheim_fs_ok", "muc_live"
    )


def test_filter_by_order_date_range(client, world, orders) -> None:
    after = past(25).date().isoformat()
    before = past(5).date().isoformat()
    assert set(_numbers(client, ordered_after=after, ordered_before=before)) == _only(
        orders, "regen_hold", "muc_failing"
    )


def test_search_by_number_and_authority(client, world, orders) -> None:
    number = orders["muc_live"].number
    assert _numbers(client, q=number) == [number]
    name = orders["kelheim_fs_ok"].authority.name
    assert _numbers(client, q=name.upper()) == [orders["kelheim_fs_ok"].number]


def test_filters_combine_and_stay_in_the_links(client, world, orders) -> None:
    params = {"district": world.kelheim.pk, "service": world.fuehrerschein.pk, "status": "overdue"}
    assert _numbers(client, **params) == [orders["kelheim_fs_overdue"].number]
    html = client.get(reverse("dashboard:order_list"), params).content.decode()
    # Column headers and the export link keep the filters.
    assert f"district={world.kelheim.pk}" in html.split("export.csv?", 1)[1][:200]
    assert "status=overdue&amp;sort=number" in html or "sort=number" in html


def test_sort_by_columns_both_ways(client, world, orders) -> None:
    by_number = sorted(o.number for o in orders.values())
    assert _numbers(client, sort="number") == by_number
    assert _numbers(client, sort="-number") == by_number[::-1]
    stages = _numbers(client, sort="stage")
    assert stages[0] == orders["kelheim_fs_ok"].number  # bestellt is stage 1
    assert stages[-1] == orders["muc_live"].number
    assert _numbers(client, sort="-ordered")[0] == orders["muc_live"].number
    response = client.get(reverse("dashboard:order_list"), {"sort": "number"})
    assert 'aria-sort="ascending"' in response.content.decode()


@pytest.mark.parametrize(
    ("key", "may_be_empty"),
    [
        ("number", False),
        ("-created_at", False),
        ("authority__name", False),
        ("authority__district__name", False),
        ("service__name", False),
        ("rollin__due_at", True),  # a date to come
        ("-rollin__assignee__last_name", True),  # nobody assigned
        ("rollin__stage__position", True),  # through the reverse roll-in
        ("rollin__stage_position", True),  # the roll-in's copy, through the reverse roll-in
        ("-rollin__assignee_last_name", True),  # the copy: nobody assigned
    ],
)
def test_only_columns_that_may_be_empty_are_sorted_with_missing_values_last(
    key, may_be_empty
) -> None:
    """A plain sort on a column that is never empty, so that its index serves the page."""
    order = _nulls_last(key)
    assert order.descending == key.startswith("-")
    assert bool(order.nulls_last) is may_be_empty


def test_sorted_pages_show_every_order_once_with_missing_values_last(client, world) -> None:
    """60 orders in ten stages: a sort by stage has ties across the page boundary."""
    orders = populate(world, 60)
    client.force_login(world.coordinator)

    for sort in ("stage", "-stage", "due", "-due", "assignee"):
        pages = [_numbers(client, sort=sort), _numbers(client, sort=sort, page=2)]
        seen = pages[0] + pages[1]
        assert sorted(seen) == sorted(o.number for o in orders), sort
    no_due = {o.number for o in orders if o.rollin.due_at is None}
    assert no_due
    for sort in ("due", "-due"):
        listed = _numbers(client, sort=sort) + _numbers(client, sort=sort, page=2)
        assert set(listed[-len(no_due) :]) == no_due, sort


def test_unknown_sort_key_is_refused_not_executed(client, world, orders) -> None:
    response = client.get(reverse("dashboard:order_list"), {"sort": "contact_email"})
    assert response.status_code == 200
    # Ignored with a form error: the list keeps its default order (newest first).
    assert "sort" in response.context["filter"].errors
    assert [o.number for o in response.context["page"]] == _numbers(client, sort="-ordered")


def test_paginated_by_fifty(client, world) -> None:
    populate(world, 55)
    client.force_login(world.coordinator)
    first = client.get(reverse("dashboard:order_list"))
    assert len(first.context["page"]) == 50
    second = client.get(reverse("dashboard:order_list"), {"page": 2})
    assert len(second.context["page"]) == 5


@pytest.mark.parametrize("count", [5, 50])
def test_list_runs_a_constant_number_of_queries(
    client, world, count, django_assert_max_num_queries
) -> None:
    populate(world, count)
    client.force_login(world.coordinator)
    # The session's first request reads the user and their states, once per version of them.
    client.get(reverse("start"))
    # Whose turn it is costs one query for the page, not one per row.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dashboard:order_list"), {"status": "waiting_staff"})
        assert response.status_code == 200
    with django_assert_max_num_queries(15):
        client.get(reverse("dashboard:order_list"), {"sort": "-due", "assignee": "unassigned"})


@pytest.mark.parametrize("field", ["state", "region", "district", "service"])
def test_an_id_beyond_the_database_integer_range_is_an_invalid_choice(client, world, field) -> None:
    # SQLite raised OverflowError for such a value (a 500); it is a wrong choice like any other.
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:order_list"), {field: "9" * 40})
    assert response.status_code == 200
    assert response.context["filter"].form.errors[field]


def test_an_empty_filter_reads_all_in_the_users_language(client, world) -> None:
    client.force_login(world.coordinator)
    page = client.get(reverse("dashboard:order_list")).content.decode()
    assert '<option value="" selected>alle</option>' in page
    assert "---------" not in page
    page = client.get(reverse("dashboard:order_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="" selected>all</option>' in page
