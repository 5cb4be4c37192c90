"""Thin views of basket, checkout steps and contact data: look up, validate, call a service.

The pages that show or drive an order's roll-in (the list, the order page with comments and
cancel, and the checkout's last step, which starts the roll-ins) are rollin's: rollin sits above
orders (rollin/order_views.py); rollin/order_urls.py puts both under the orders namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Service
from orders import selectors, services
from orders.access import (
    authority_staff_required,
    may_download_contract,
    may_edit_contact,
    order_get_for_user,
)
from orders.contract import contract_pdf
from orders.forms import (
    SESSION_LAST_CHECKOUT,
    CheckoutServiceForm,
    OrderContactForm,
    draft_from_post,
)
from orders.models import BasketItem
from portal.uploads import pdf_download_name

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.typing import AuthenticatedHttpRequest

# --- basket ----------------------------------------------------------------------------------


@require_POST
@authority_staff_required
def basket_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    service = get_object_or_404(Service, slug=request.POST.get("service", ""))
    try:
        services.basket_item_add(user=request.user, service=service)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("catalog:service_detail", slug=service.slug)
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
def checkout_done(request: HttpRequest) -> HttpResponse:
    numbers = request.session.get(SESSION_LAST_CHECKOUT, [])
    orders = selectors.order_visible_to(request.user).filter(number__in=numbers)
    orders = orders.select_related("service").order_by("number")
    return render(request, "orders/checkout_done.html", {"orders": orders})


# --- my orders -------------------------------------------------------------------------------


@login_required
def order_contract_pdf(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    """The Nachnutzungsvertrag of this order, to sign and upload on its contract item."""
    # Looked up before the method check: a foreign number is a 404 whatever the method.
    order = order_get_for_user(request.user, number)
    if not may_download_contract(request.user, order):
        # Answered like a foreign order: no hint that the number exists.
        raise Http404(_("Bestellung nicht gefunden."))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    with translation.override("de"):  # the contract's binding language (orders/contract.py)
        pdf = contract_pdf(order)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pdf_download_name("nachnutzungsvertrag", order.number)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def order_contact_edit(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    if not may_edit_contact(request.user, order):
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
