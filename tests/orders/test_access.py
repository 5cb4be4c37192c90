from __future__ import annotations

import pytest
from django.http import Http404

from orders.access import order_get_for_user
from orders.selectors import order_visible_to
from tests.factories import (
    AuthorityFactory,
    CoordinatorFactory,
    StaffFactory,
    StateFactory,
    UserFactory,
)
from tests.factories_orders import OrderFactory

pytestmark = pytest.mark.django_db


def test_staff_sees_only_own_authoritys_orders(staff):
    own = OrderFactory(authority=staff.authority)
    other = OrderFactory()
    assert list(order_visible_to(staff)) == [own]
    assert order_get_for_user(staff, own.number) == own
    with pytest.raises(Http404):
        order_get_for_user(staff, other.number)


def test_coordinator_sees_orders_of_their_states_only():
    bavaria = StateFactory()
    hesse = StateFactory(ags="06", name="Hessen")
    coordinator = CoordinatorFactory(states=[bavaria])
    own = OrderFactory()
    foreign_authority = AuthorityFactory(state=hesse, key="06412000", code="G06412000")
    foreign = OrderFactory(authority=foreign_authority)
    assert list(order_visible_to(coordinator)) == [own]
    with pytest.raises(Http404):
        order_get_for_user(coordinator, foreign.number)


def test_viewer_and_unapproved_staff_see_no_orders(viewer):
    order = OrderFactory()
    unapproved = UserFactory()
    for user in (viewer, unapproved):
        assert not order_visible_to(user).exists()
        with pytest.raises(Http404):
            order_get_for_user(user, order.number)


def test_admin_sees_every_order(admin_user):
    order = OrderFactory()
    assert order_get_for_user(admin_user, order.number) == order


def test_for_update_returns_the_locked_order(staff):
    order = OrderFactory(authority=staff.authority)
    assert order_get_for_user(staff, order.number, for_update=True) == order


def test_missing_number_is_404(staff):
    with pytest.raises(Http404):
        order_get_for_user(staff, "DM-2026-000000")


def test_other_staff_of_same_state_do_not_see_each_other():
    first = StaffFactory()
    second = StaffFactory()
    order = OrderFactory(authority=first.authority)
    assert not order_visible_to(second).filter(pk=order.pk).exists()
