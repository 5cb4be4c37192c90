"""Thin views of basket, checkout and "Meine Bestellungen": look up, validate, call a service."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Service
from orders import selectors, services
from orders.access import order_get_for_user
from orders.forms import (
    CancelForm,
    CheckoutReviewForm,
    CheckoutServiceForm,
    CommentForm,
    OrderContactForm,
    OrderFilterForm,
    draft_from_post,
)
from orders.models import BasketItem, Order
from rollin.transitions import can_cancel

if TYPE_CHECKING:
    from django.forms import Form

    from accounts.models import User
    from accounts.typing import AuthenticatedHttpRequest

SESSION_CHECKOUT_KEY = "orders_checkout_key"
SESSION_LAST_CHECKOUT = "orders_last_checkout"


def authority_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ordering needs a confirmed membership; everyone else may browse only."""

    @wraps(view)
    @login_required
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authority_staff:
            messages.info(
                request,
                _("Bestellen können Sie, sobald Ihre Behörde Ihre Zugehörigkeit bestätigt hat."),
            )
            return redirect("accounts:my_authority")
        return view(request, *args, **kwargs)

    return wrapper


# --- basket ----------------------------------------------------------------------------------


@require_POST
@authority_staff_required
def basket_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = get_object_or_404(Service, slug=request.POST.get("service", ""))
    services.basket_item_add(user=request.user, service=service)
    messages.success(
        request, _("„%(service)s“ liegt im Warenkorb.") % {"service": service.localized("name")}
    )
    return redirect("orders:basket")


@authority_staff_required
def basket(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = selectors.basket_items_for(request.user)
    blockers = selectors.basket_blockers_for(request.user, items)
    rows = [(item, blockers.get(item.service_id)) for item in items]
    return render(request, "orders/basket_list.html", {"rows": rows})


@require_POST
@authority_staff_required
def basket_remove(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service, slug=slug)
    services.basket_item_remove(user=request.user, service=service)
    messages.success(request, _("Die Leistung wurde aus dem Warenkorb entfernt."))
    return redirect("orders:basket")


# --- checkout --------------------------------------------------------------------------------


@authority_staff_required
def checkout_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = selectors.basket_items_for(request.user)
    if not items:
        messages.info(request, _("Ihr Warenkorb ist leer."))
        return redirect("orders:basket")
    return redirect("orders:checkout_service", slug=items[0].service.slug)


@authority_staff_required
def checkout_service(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    items = selectors.basket_items_for(request.user)
    item = next((item for item in items if item.service.slug == slug), None)
    if item is None:
        return redirect("orders:basket")
    form_kwargs: dict[str, Any] = {"service": item.service, "user": request.user}
    if request.method == "POST":
        # Saved before validation: nothing typed is lost, even with errors.
        services.basket_item_draft_save(item=item, draft=draft_from_post(request.POST))
        form = CheckoutServiceForm(request.POST, **form_kwargs)
        if form.is_valid():
            following = _next_item(items, item)
            if following is None:
                return redirect("orders:checkout_review")
            return redirect("orders:checkout_service", slug=following.service.slug)
    elif item.draft:
        form = CheckoutServiceForm(item.draft, **form_kwargs)
    else:
        form = CheckoutServiceForm(initial=_initial_for(request.user), **form_kwargs)
    position = items.index(item)
    return render(
        request,
        "orders/checkout_service.html",
        {
            "form": form,
            "item": item,
            "items": items,
            "step": position + 1,
            "steps": len(items) + 1,
            "previous": items[position - 1] if position else None,
        },
    )


def _next_item(items: list[BasketItem], item: BasketItem) -> BasketItem | None:
    position = items.index(item)
    return items[position + 1] if position + 1 < len(items) else None


def _initial_for(user: User) -> dict[str, str]:
    return {
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
        "contact_phone": user.phone,
    }


@authority_staff_required
def checkout_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A double click or resubmitted form: its orders exist, the basket is empty by now.
        placed = _orders_of_submitted_checkout(request)
        if placed:
            request.session[SESSION_LAST_CHECKOUT] = [order.number for order in placed]
            return redirect("orders:checkout_done")
    items = selectors.basket_items_for(request.user)
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
            orders = services.order_place(
                user=request.user,
                lines=[form.order_line() for _item, form in forms_by_item],
                checkout_key=review.cleaned_data["checkout_key"],
                terms_accepted=review.cleaned_data["terms_accepted"],
            )
        except services.CheckoutError as error:
            _errors_to_forms(error, review, forms_by_item)
        else:
            request.session.pop(SESSION_CHECKOUT_KEY, None)
            request.session[SESSION_LAST_CHECKOUT] = [order.number for order in orders]
            return redirect("orders:checkout_done")
    lines = [
        {"item": item, "form": form, "funding": selectors.funding_estimate_for(item.service)}
        for item, form in forms_by_item
    ]
    return render(
        request,
        "orders/checkout_review.html",
        {"review": review, "lines": lines, "step": len(items) + 1, "steps": len(items) + 1},
    )


def _orders_of_submitted_checkout(request: AuthenticatedHttpRequest) -> list[Order]:
    try:
        checkout_key = uuid.UUID(request.POST.get("checkout_key", ""))
    except ValueError:
        return []
    return selectors.order_list_of_checkout(request.user, checkout_key)


def _errors_to_forms(
    error: services.CheckoutError,
    review: CheckoutReviewForm,
    forms_by_item: list[tuple[BasketItem, CheckoutServiceForm]],
) -> None:
    by_slug = {item.service.slug: form for item, form in forms_by_item}
    for slug, fields in error.errors_by_service.items():
        for field, field_messages in fields.items():
            for message in field_messages:
                if slug in by_slug:
                    target = None if field == services.NON_FIELD else field
                    by_slug[slug].add_error(target, message)
                elif field == "terms_accepted":
                    review.add_error("terms_accepted", message)
                else:
                    review.add_error(None, message)


@authority_staff_required
def checkout_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    numbers = request.session.get(SESSION_LAST_CHECKOUT, [])
    orders = selectors.order_visible_to(request.user).filter(number__in=numbers)
    orders = orders.select_related("service").order_by("number")
    return render(request, "orders/checkout_done.html", {"orders": orders})


# --- my orders -------------------------------------------------------------------------------


@login_required
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = OrderFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    orders = selectors.order_list_for(request.user, status=status)
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    return render(request, "orders/order_list.html", {"page": page, "filters": filters})


@login_required
def order_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    return _detail_render(request, order)


def _detail_render(request: AuthenticatedHttpRequest, order: Order, **forms: Form) -> HttpResponse:
    rollin = getattr(order, "rollin", None)
    context = {
        "order": order,
        "rollin": rollin,
        "comments": order.comments.select_related("author"),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "may_cancel": rollin is not None and can_cancel(rollin, request.user),
        "may_edit_contact": _may_edit_contact(request.user, order),
        "funding_case": getattr(order, "funding_case", None),
    }
    status = 400 if forms else 200
    return render(request, "orders/order_detail.html", context, status=status)


def _may_edit_contact(user: User, order: Order) -> bool:
    return not order.is_cancelled and (user.is_authority_staff or user.is_operator)


@login_required
def order_contact_edit(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    if not _may_edit_contact(request.user, order):
        messages.error(request, _("Sie können die Kontaktdaten dieser Bestellung nicht ändern."))
        return redirect("orders:order_detail", number=order.number)
    form = OrderContactForm(request.POST or None, instance=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_contact_update(order=order, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Die Kontaktdaten wurden gespeichert."))
            return redirect("orders:order_detail", number=order.number)
    return render(request, "orders/order_contact_edit.html", {"order": order, "form": form})


@login_required
def order_comment_add(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    # Looked up before the method check: a foreign number is a 404 whatever the method.
    order = order_get_for_user(request.user, number)
    if request.method != "POST":
        return redirect("orders:order_detail", number=order.number)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_render(request, order, comment_form=form)
    services.comment_add(order=order, author=request.user, text=form.cleaned_data["text"])
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
            services.order_cancel(
                order=order, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("Die Bestellung wurde storniert."))
            return redirect("orders:order_detail", number=order.number)
    return _detail_render(request, order, cancel_form=form)
