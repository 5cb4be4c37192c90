"""Reads of orders: who may see which orders, and the lists built on them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from catalog.models import Service
from catalog.rules import service_order_blockers
from orders.funding import FundingEstimate, funding_estimate
from orders.models import BasketItem, Order
from orders.rules import already_ordered_message

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.typing import AnyUser


def order_visible_to(user: AnyUser | None, *, state_via_rollin: bool = False) -> QuerySet[Order]:
    """Orders the user may see: staff their authority's, coordinators their states', admins all.

    Ministry viewers see none: orders carry personal data (contact persons) they must not get.
    `state_via_rollin` names a coordinator's states through the roll-in's copy of the state
    (the same orders once placed, each with its roll-in), for lists filtered and sorted on
    the roll-ins' indexes (dashboard.selectors.dashboard_orders_for).
    """
    orders = Order.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return orders.none()
    if user.is_operator:
        return orders
    if user.is_coordinator:
        state = "rollin__state__in" if state_via_rollin else "authority__state__in"
        return orders.filter(**{state: user.states.all()})
    if user.is_authority_staff:
        assert user.authority_id is not None  # what is_authority_staff means
        return orders.filter(authority_id=user.authority_id)
    return orders.none()


def basket_items_for(user: User) -> list[BasketItem]:
    return list(
        BasketItem.objects.filter(user=user)
        .select_related("service", "service__funding_programme")
        .prefetch_related("service__fachverfahren", "service__cost_items")
    )


def funding_estimate_for(service: Service) -> FundingEstimate | None:
    if service.funding_programme is None:
        return None
    return funding_estimate(service.funding_programme, service.cost_items.all())


def order_list_of_checkout(user: User, checkout_key: uuid.UUID) -> list[Order]:
    """The orders one checkout submission created (empty if it has not been placed)."""
    return list(
        Order.objects.filter(checkout_key=checkout_key, placed_by=user)
        .select_related("service", "authority", "placed_by")
        .order_by("number")
    )


def basket_blockers_for(user: User, items: list[BasketItem]) -> dict[int, str]:
    """Why a basket item cannot be ordered, by service id (shown before checkout): the same
    queries for one item or the whole catalog."""
    if user.authority_id is None:
        return {}
    ordered = set(
        Order.objects.filter(
            authority_id=user.authority_id,
            cancelled_at__isnull=True,
            service__in=[item.service_id for item in items],
        ).values_list("service_id", flat=True)
    )
    reasons = service_order_blockers(user, [item.service for item in items])
    blockers = {}
    for item in items:
        reason = reasons[item.service_id]
        if reason is None and item.service_id in ordered:
            reason = already_ordered_message()
        if reason:
            blockers[item.service_id] = reason
    return blockers
