"""Writes of the ordering app: basket, checkout (orders_create), contact data, comments.

orders_create validates every line, then creates all orders and their funding cases in one
transaction. Placing an order also starts its roll-in, which sits in the layer above: the
checkout goes through rollin.ordering.order_place, which calls orders_create and starts the
roll-ins in the same transaction, and cancelling goes through the roll-in too.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.selectors import coordinators_of_states
from catalog.models import Fachverfahren, Service
from catalog.rules import service_order_blocker
from catalog.selectors import offered_fachverfahren
from geo.models import Authority
from orders import funding, rules
from orders.links import order_url_for
from orders.models import BasketItem, Comment, FundingCase, Order, OrderNumberSequence
from orders.selectors import order_list_of_checkout
from portal.services import email_send, email_send_to_users, notification_text, notify

NON_FIELD = "__all__"


@dataclass(frozen=True)
class OrderLine:
    """What the checkout form collected for one service."""

    service: Service
    fachverfahren: Fachverfahren | None
    fachverfahren_other: str
    contact_name: str
    contact_email: str
    contact_phone: str
    desired_golive: datetime.date
    funding_requested: bool


class CheckoutError(ValidationError):
    """Violations of a checkout, per service slug and field (German messages)."""

    def __init__(self, errors_by_service: dict[str, dict[str, list[str]]]) -> None:
        self.errors_by_service = errors_by_service
        messages = [
            m for fields in errors_by_service.values() for ms in fields.values() for m in ms
        ]
        super().__init__(messages)


# --- validation ------------------------------------------------------------------------------


def order_line_errors(
    *, user: User, line: OrderLine, today: datetime.date | None = None
) -> dict[str, list[str]]:
    """Every rule one checkout line breaks, by form field ("__all__" = the service itself)."""
    errors: dict[str, list[str]] = {}
    service = line.service
    # The catalog's rule (available, authority of the responsible level), so the detail page
    # and the checkout never disagree.
    blocker = service_order_blocker(user, service)
    if blocker:
        errors.setdefault(NON_FIELD, []).append(blocker)
    elif order_active_exists(authority=user.authority, service=service):
        errors.setdefault(NON_FIELD, []).append(rules.already_ordered_message())
    golive = rules.golive_error(line.desired_golive, today or timezone.localdate())
    if golive:
        errors.setdefault("desired_golive", []).append(golive)
    state_id = user.authority.state_id if user.authority else None
    compatible = {fv.pk for fv in offered_fachverfahren(service, state_id)}
    fachverfahren = rules.fachverfahren_error(
        chosen_id=line.fachverfahren.id if line.fachverfahren else None,
        other_text=line.fachverfahren_other,
        compatible_ids=compatible,
    )
    if fachverfahren:
        field = "fachverfahren_other" if line.fachverfahren is None else "fachverfahren"
        errors.setdefault(field, []).append(fachverfahren)
    if line.funding_requested:
        problem = funding.funding_error(service.funding_programme, service.cost_items.all())
        if problem:
            errors.setdefault("funding_requested", []).append(problem)
    for field in ("contact_name", "contact_email", "contact_phone"):
        if not getattr(line, field).strip():
            errors.setdefault(field, []).append(_("Bitte füllen Sie dieses Feld aus."))
    return errors


def order_active_exists(*, authority: Authority | None, service: Service) -> bool:
    # None (a user without an authority) matches no order: every order has an authority.
    return Order.objects.filter(
        authority=authority, service=service, cancelled_at__isnull=True
    ).exists()


# --- checkout --------------------------------------------------------------------------------


def orders_create(
    *,
    user: User,
    lines: Sequence[OrderLine],
    checkout_key: uuid.UUID,
    terms_accepted: bool,
    now: datetime.datetime | None = None,
) -> list[Order]:
    """Create one order per line, or none. A repeated `checkout_key` returns its orders.

    Without their roll-ins: callers place orders through rollin.ordering.order_place.
    `now` is the moment of ordering (the demo places orders in the past); default: now.
    """
    now = now or timezone.now()
    existing = order_list_of_checkout(user, checkout_key)
    if existing:
        return existing
    if not user.is_authority_staff:
        raise CheckoutError(
            {
                NON_FIELD: {
                    NON_FIELD: [
                        _("Sie können erst bestellen, wenn Ihre Behörde Sie bestätigt hat.")
                    ]
                }
            }
        )
    errors = _checkout_errors(user, lines, terms_accepted, today=timezone.localdate(now))
    if errors:
        raise CheckoutError(errors)
    with transaction.atomic():
        year = timezone.localdate(now).year
        sequence = _sequence_locked(year)
        # The lock serialises checkouts: a double submit that waited for it finds its orders.
        existing = order_list_of_checkout(user, checkout_key)
        if existing:
            return existing
        orders = [_order_create(user, line, checkout_key, sequence, now) for line in lines]
        sequence.save(update_fields=["last_value"])
        BasketItem.objects.filter(user=user, service__in=[line.service for line in lines]).delete()
        # In the transaction: the outbox row commits with the orders, and is sent after commit.
        _confirmation_send(orders)
    return orders


def _checkout_errors(
    user: User, lines: Sequence[OrderLine], terms_accepted: bool, *, today: datetime.date
) -> dict[str, dict[str, list[str]]]:
    errors: dict[str, dict[str, list[str]]] = {}
    if not lines:
        errors[NON_FIELD] = {NON_FIELD: [_("Ihr Warenkorb ist leer.")]}
    if not terms_accepted:
        errors[NON_FIELD] = {
            "terms_accepted": [_("Bitte akzeptieren Sie die Nutzungsbedingungen.")]
        }
    for line in lines:
        line_errors = order_line_errors(user=user, line=line, today=today)
        if line_errors:
            errors[line.service.slug] = line_errors
    return errors


def _sequence_locked(year: int) -> OrderNumberSequence:
    OrderNumberSequence.objects.get_or_create(year=year)
    return OrderNumberSequence.objects.select_for_update().get(year=year)


def _order_create(
    user: User,
    line: OrderLine,
    checkout_key: uuid.UUID,
    sequence: OrderNumberSequence,
    now: datetime.datetime,
) -> Order:
    sequence.last_value += 1
    order = Order(
        number=f"DM-{sequence.year}-{sequence.last_value:06d}",
        authority=user.authority,
        service=line.service,
        fachverfahren=line.fachverfahren,
        fachverfahren_other=line.fachverfahren_other.strip() if not line.fachverfahren else "",
        contact_name=line.contact_name.strip(),
        contact_email=line.contact_email.strip(),
        contact_phone=line.contact_phone.strip(),
        desired_golive=line.desired_golive,
        funding_requested=line.funding_requested,
        placed_by=user,
        terms_accepted_by=user,
        terms_accepted_at=now,
        checkout_key=checkout_key,
        created_at=now,
    )
    try:
        # Savepoint, so the constraint violation surfaces here with the service it concerns;
        # the CheckoutError then leaves the outer transaction and rolls back every order.
        with transaction.atomic():
            order.save()
    except IntegrityError as error:
        raise CheckoutError(
            {line.service.slug: {NON_FIELD: [rules.already_ordered_message()]}}
        ) from error
    if line.funding_requested and line.service.funding_programme is not None:
        estimate = funding.funding_estimate(
            line.service.funding_programme, line.service.cost_items.all()
        )
        FundingCase.objects.create(
            order=order, programme=estimate.programme, amount_requested=estimate.amount
        )
    return order


def _confirmation_send(orders: list[Order]) -> None:
    placed_by = orders[0].placed_by
    recipients = {placed_by.email, *(order.contact_email for order in orders)}
    email_send(
        to=recipients,
        # The contact person may have no account: the language of the one who ordered.
        language=placed_by.language,
        template="order_confirmation",
        context={
            "orders": orders,
            "placed_by": placed_by,
            "authority": orders[0].authority,
            "list_path": reverse("orders:order_list"),
        },
    )


# --- basket ----------------------------------------------------------------------------------


def basket_item_add(*, user: User, service: Service) -> BasketItem:
    """Into the basket only what can be ordered: a service the authority already ordered (or
    may not order) is refused with the reason, not put beside a "bereits bestellt" note."""
    reason = service_order_blocker(user, service)
    if reason is None and (
        Order.objects.filter(
            authority=user.authority, service=service, cancelled_at__isnull=True
        ).exists()
    ):
        reason = rules.already_ordered_message()
    if reason is not None:
        raise ValidationError(reason)
    item, _created = BasketItem.objects.get_or_create(user=user, service=service)
    return item


def basket_item_remove(*, user: User, service: Service) -> None:
    BasketItem.objects.filter(user=user, service=service).delete()


def basket_item_draft_save(*, item: BasketItem, draft: dict[str, Any]) -> BasketItem:
    """Keep what was typed, valid or not, so nothing entered is ever lost."""
    item.draft = draft
    item.save(update_fields=["draft", "updated_at"])
    return item


# --- after the order -------------------------------------------------------------------------


def order_contact_update(
    *, order: Order, actor: User, contact_name: str, contact_email: str, contact_phone: str
) -> Order:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.is_cancelled:
            raise ValidationError(_("Eine stornierte Bestellung kann nicht geändert werden."))
        order.contact_name = contact_name.strip()
        order.contact_email = contact_email.strip()
        order.contact_phone = contact_phone.strip()
        order.save(update_fields=["contact_name", "contact_email", "contact_phone"])
    return order


def comment_add(*, order: Order, author: User, text: str) -> Comment:
    """Add a comment and tell the other side (staff ↔ coordination) by e-mail and in the portal."""
    # One transaction: the comment, its notifications and its outbox e-mail commit together.
    with transaction.atomic():
        comment = Comment.objects.create(order=order, author=author, text=text.strip())
        # Each side follows the link to the page it works on (coordinators: the coordination's).
        by_url: dict[str, list[User]] = {}
        for user in _comment_recipients(order, author):
            by_url.setdefault(order_url_for(order, user), []).append(user)
        for url, recipients in by_url.items():
            _comment_notify(comment, recipients, url)
    return comment


def _comment_recipients(order: Order, author: User) -> list[User]:
    if author.role == Role.STAFF:
        coordinators = coordinators_of_states([order.authority.state_id])
        return [user for user in coordinators if user.pk != author.pk]
    staff = User.objects.filter(role=Role.STAFF, is_active=True, authority_id=order.authority_id)
    return [user for user in staff if user.pk != author.pk]


def _comment_notify(comment: Comment, recipients: list[User], url: str) -> None:
    order = comment.order
    notify(
        users=recipients,
        text=notification_text(
            gettext_lazy("Neuer Kommentar zu Bestellung %(number)s"), number=order.number
        ),
        url=url,
        dedup_key=f"comment:{comment.pk}",
    )
    email_send_to_users(
        users=recipients,
        template="comment_added",
        context={"comment": comment, "order": order, "order_path": url},
    )
