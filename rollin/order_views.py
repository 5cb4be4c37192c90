"""The pages that show or drive an order's roll-in: "Meine Bestellungen", the order page with
its comments and cancel, and the checkout's last step, which places the orders and starts their
roll-ins (rollin.ordering).

They are rollin's because rollin sits above orders: an orders view cannot read the roll-in.
Their URLs keep the orders namespace: rollin/order_urls.py adds them to orders/urls.py.
Thin views: look up through orders.access, validate, call one service.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from orders import selectors as order_selectors
from orders import services as order_services
from orders.access import authority_staff_required, may_edit_contact, order_get_for_user
from orders.forms import (
    SESSION_CHECKOUT_KEY,
    SESSION_LAST_CHECKOUT,
    CancelForm,
    CheckoutReviewForm,
    CheckoutServiceForm,
    CommentForm,
)
from orders.models import BasketItem
from orders.services import NON_FIELD, CheckoutError
from rollin import ordering, selectors
from rollin.actions import panel_forms
from rollin.forms import OrderFilterForm
from rollin.selectors import rollin_panel
from rollin.transitions import can_cancel
from rollin.turn import orders_with_turns

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest

# --- checkout: the last step places the orders and starts their roll-ins --------------------


@authority_staff_required
def checkout_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A double click or resubmitted form: its orders exist, the basket is empty by now.
        placed = _orders_of_submitted_checkout(request)
        if placed:
            request.session[SESSION_LAST_CHECKOUT] = [order.number for order in placed]
            return redirect("orders:checkout_done")
    items = order_selectors.basket_items_for(request.user)
    if not items:
        return redirect("orders:basket")
    forms_by_item = [
        (
            item,
            CheckoutServiceForm(item.draft, service=item.service, user=request.user),
        )
        for item in items
    ]
    for item, form in forms_by_item:
        if not form.is_valid():
            messages.error(request, _("Bitte prüfen Sie Ihre Angaben zu dieser Leistung."))
            return redirect("orders:checkout_service", slug=item.service.slug)
    checkout_key = request.session.setdefault(SESSION_CHECKOUT_KEY, str(uuid.uuid4()))
    review = CheckoutReviewForm(
        request.POST if request.method == "POST" else None, initial={"checkout_key": checkout_key}
    )
    if request.method == "POST" and review.is_valid():
        try:
            orders = ordering.order_place(
                user=request.user,
                lines=[form.order_line() for _item, form in forms_by_item],
                checkout_key=review.cleaned_data["checkout_key"],
                terms_accepted=review.cleaned_data["terms_accepted"],
            )
        except CheckoutError as error:
            _errors_to_forms(error, review, forms_by_item)
        else:
            request.session.pop(SESSION_CHECKOUT_KEY, None)
            request.session[SESSION_LAST_CHECKOUT] = [order.number for order in orders]
            return redirect("orders:checkout_done")
    lines = [
        {"item": item, "form": form, "funding": order_selectors.funding_estimate_for(item.service)}
        for item, form in forms_by_item
    ]
    return render(
        request,
        "orders/checkout_review.html",
        {"review": review, "lines": lines, "step": len(items) + 1, "steps": len(items) + 1},
    )


def _orders_of_submitted_checkout(request: AuthenticatedHttpRequest) -> list[Any]:
    try:
        checkout_key = uuid.UUID(request.POST.get("checkout_key", ""))
    except ValueError:
        return []
    return order_selectors.order_list_of_checkout(request.user, checkout_key)


def _errors_to_forms(
    error: CheckoutError,
    review: CheckoutReviewForm,
    forms_by_item: list[tuple[BasketItem, CheckoutServiceForm]],
) -> None:
    by_slug = {item.service.slug: form for item, form in forms_by_item}
    for slug, fields in error.errors_by_service.items():
        for field, field_messages in fields.items():
            for message in field_messages:
                if slug in by_slug:
                    target = None if field == NON_FIELD else field
                    by_slug[slug].add_error(target, message)
                elif field == "terms_accepted":
                    review.add_error("terms_accepted", message)
                else:
                    review.add_error(None, message)


# --- my orders -------------------------------------------------------------------------------


@login_required
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = OrderFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    orders = selectors.order_list_for(request.user, status=status)
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    # Staff coordinate nothing; a coordinator reading this list is told by the state check.
    coordinates = False if request.user.is_authority_staff else None
    page.object_list = orders_with_turns(page.object_list, request.user, coordinates=coordinates)
    return render(request, "orders/order_list.html", {"page": page, "filters": filters})


@login_required
def order_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    return order_page(request, order)


def order_page(
    request: AuthenticatedHttpRequest,
    order: Any,
    *,
    status: int = 200,
    bound: dict[str, Any] | None = None,
    comment_form: CommentForm | None = None,
    cancel_form: CancelForm | None = None,
) -> HttpResponse:
    """The order page: the order, its roll-in panel, comments and cancel. Forms just submitted
    with errors come back as typed: the panel's in `bound` (by prefix), or the other two."""
    rollin = getattr(order, "rollin", None)
    panel = rollin_panel(rollin, request.user) if rollin is not None else None
    context = {
        "order": order,
        "rollin": rollin,
        "panel": panel_forms(panel, bound) if panel is not None else None,
        "comments": order.comments.select_related("author"),
        "comment_form": comment_form or CommentForm(),
        "cancel_form": cancel_form or CancelForm(),
        "may_cancel": rollin is not None and can_cancel(rollin, request.user),
        "may_edit_contact": may_edit_contact(request.user, order),
        "funding_case": getattr(order, "funding_case", None),
    }
    return render(request, "orders/order_detail.html", context, status=status)


@login_required
def order_comment_add(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    # Looked up before the method check: a foreign number is a 404 whatever the method.
    order = order_get_for_user(request.user, number)
    if request.method != "POST":
        return redirect("orders:order_detail", number=order.number)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return order_page(request, order, status=400, comment_form=form)
    order_services.comment_add(order=order, author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Ihr Kommentar wurde gespeichert."))
    return redirect("orders:order_detail", number=order.number)


@login_required
def order_cancel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    rollin = getattr(order, "rollin", None)
    if request.method != "POST":
        return redirect("orders:order_detail", number=order.number)
    form = CancelForm(request.POST)
    if rollin is None or not can_cancel(rollin, request.user):
        messages.error(request, _("Diese Bestellung kann nicht mehr storniert werden."))
        return redirect("orders:order_detail", number=order.number)
    if form.is_valid():
        try:
            ordering.order_cancel(
                order=order, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("Die Bestellung wurde storniert."))
            return redirect("orders:order_detail", number=order.number)
    return order_page(request, order, status=400, cancel_form=form)
