"""Public catalog pages: list with search and filters, and a service's detail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog import selectors
from catalog.forms import ServiceFilterForm
from catalog.rules import service_order_blocker

PAGE_SIZE = 10


def service_list(request: HttpRequest) -> HttpResponse:
    form = ServiceFilterForm(request.GET or None)
    services = selectors.service_list(user=request.user, **form.filters())
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    own = selectors.service_own_states(request.user)
    for service in page.object_list:
        service.own_state = own.get(service.pk)  # type: ignore[attr-defined]
    filtered = any(request.GET.get(name) for name in form.fields)
    return render(
        request,
        "catalog/service_list.html",
        {"form": form, "page": page, "filtered": filtered},
    )


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_detail(slug, user=request.user)
    template_name, stages = selectors.service_stages(service)
    costs = selectors.service_costs(service)
    context = {
        "service": service,
        "own_state": selectors.service_own_states(request.user).get(service.pk),
        # Nothing to pay, nothing to fund: a service whose recorded costs are 0 € offers no
        # funding (a service without recorded costs says so in its cost section instead).
        "free_of_charge": bool(costs.one_off or costs.yearly)
        and not costs.one_off_total
        and not costs.yearly_total,
        "prerequisite_groups": selectors.prerequisites_by_kind(service),
        "costs": costs,
        "stage_template_name": template_name,
        "stages": stages,
        "order_blocker": service_order_blocker(request.user, service),
        "offerings": selectors.service_offerings(service),
    }
    return render(request, "catalog/service_detail.html", context)
