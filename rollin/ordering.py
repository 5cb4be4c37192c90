"""Writes that span an order and its roll-in: placing orders starts their roll-ins, cancelling
goes through the roll-in.

rollin sits above orders, so this orchestration lives here: orders.services cannot see the
roll-in, and a signal would hide the step. One transaction: either the whole checkout is saved
with every roll-in, or nothing.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from orders.models import Order
from orders.services import OrderLine, orders_create
from rollin.services import rollin_cancel, rollin_start


def order_place(
    *,
    user: User,
    lines: Sequence[OrderLine],
    checkout_key: uuid.UUID,
    terms_accepted: bool,
    now: datetime.datetime | None = None,
) -> list[Order]:
    """Create one order per line with its roll-in, or none (orders.services.CheckoutError).

    A repeated `checkout_key` returns its orders; their roll-ins exist already (rollin_start
    returns an existing one).
    """
    with transaction.atomic():
        orders = orders_create(
            user=user,
            lines=lines,
            checkout_key=checkout_key,
            terms_accepted=terms_accepted,
            now=now,
        )
        for order in orders:
            rollin_start(order=order, now=now)
    return orders


def order_cancel(*, order: Order, actor: User, reason: str) -> Order:
    """Cancel through the roll-in, which owns the state (guards, lock, history)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    rollin_cancel(rollin_id=order.rollin.pk, actor=actor, reason=reason.strip())
    order.refresh_from_db()
    return order
