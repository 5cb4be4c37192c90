"""Coordination pages. Every view is wrapped by coordinator_required; orders are fetched through
dashboard.access (404 outside the coordinator's states); writes go through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dashboard import selectors, services
from dashboard.access import coordinator_required, dashboard_order_get
from dashboard.charts import weekly_chart
from dashboard.export import csv_lines
from dashboard.filters import OrderFilter, order_filter_for
from dashboard.forms import BulkActionForm
from dashboard.tables import sort_headers
from orders.forms import CommentForm
from rollin.actions import action_run, panel_forms
from rollin.models import RollinItem
from rollin.selectors import rollin_panel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.typing import AuthenticatedHttpRequest
    from orders.models import Order

PAGE_SIZE = 50


@coordinator_required
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The figures are maintained rows (rollin.figures): read on every visit, never cached.
    overview = selectors.overview_for(request.user)
    return render(
        request,
        "dashboard/overview.html",
        {"overview": overview, "chart": weekly_chart(overview.weeks)},
    )


def _filtered(request: AuthenticatedHttpRequest, params: QueryDict) -> OrderFilter:
    return order_filter_for(request.user, params, selectors.dashboard_orders_for(request.user))


@coordinator_required
@require_GET
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = _filtered(request, request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboard/order_list.html",
        {
            "filter": filterset,
            "page": page,
            "headers": sort_headers(request.GET),
            "query": query.urlencode(),
            "bulk_form": BulkActionForm(
                user=request.user,
                initial={"query": query.urlencode()},
                # Operators may assign coordinators of no state too: their own query.
                assignees=None if request.user.is_operator else filterset.coordinators,
            ),
            "sync_limit": services.SYNC_LIMIT,
        },
    )


@coordinator_required
@require_POST
def bulk_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkActionForm(request.POST, user=request.user)
    back = reverse("dashboard:order_list") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for error in [*form.non_field_errors(), *form.errors.get("reason", [])]:
            messages.error(request, error)
        for error in form.errors.get("assignee", []):
            # Iterating an ErrorList yields messages; its stubs also allow a ValidationError.
            messages.error(request, cast("StrOrPromise", error))
        return redirect(back)
    if form.cleaned_data["scope"] == BulkActionForm.SCOPE_ALL:
        filterset = _filtered(request, QueryDict(form.cleaned_data["query"]))
        order_ids = list(filterset.qs.order_by().values_list("pk", flat=True))
    else:
        order_ids = form.cleaned_data["order"]
    job = services.bulk_job_start(
        actor=request.user,
        action=form.cleaned_data["action"],
        order_ids=order_ids,
        params=form.params(),
    )
    return redirect("dashboard:bulk_job", job_id=job.pk)


@coordinator_required
@require_GET
def bulk_job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = selectors.bulk_job_for(request.user, job_id)
    if job is None:
        raise Http404(_("Sammelaktion nicht gefunden."))
    back = reverse("dashboard:order_list") + "?" + job.params.get("query", "")
    return render(request, "dashboard/bulkjob_detail.html", {"job": job, "back": back})


@coordinator_required
@require_GET
def order_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order = dashboard_order_get(request.user, number)
    rollin = getattr(order, "rollin", None)
    context = {
        "order": order,
        "rollin": rollin,
        "panel": panel_forms(rollin_panel(rollin, request.user)) if rollin else None,
        "coordinator_items": selectors.coordinator_items_of(rollin) if rollin else [],
        "rejectable_items": selectors.rejectable_items_of(rollin) if rollin else [],
        "connector_log": selectors.connector_log_of(rollin) if rollin else [],
        "comments": order.comments.select_related("author"),
        "comment_form": CommentForm(),
        "funding_case": getattr(order, "funding_case", None),
    }
    return render(request, "dashboard/order_detail.html", context)


def _item_of(
    request: AuthenticatedHttpRequest, number: str, item_id: int
) -> tuple[Order, RollinItem]:
    order = dashboard_order_get(request.user, number)
    item = (
        RollinItem.objects.select_related("definition", "rollin")
        .filter(pk=item_id, rollin__order=order)
        .first()
    )
    if item is None:
        raise Http404(_("Nicht gefunden."))
    return order, item


def _back_to_detail(number: str) -> HttpResponse:
    return redirect(reverse("dashboard:order_detail", args=[number]) + "#waiting")


@coordinator_required
@require_POST
def item_action(
    request: AuthenticatedHttpRequest, number: str, item_id: int, action: str
) -> HttpResponse:
    """Approve or send back a waiting item: the staff page's actions and error handling
    (rollin.actions); this page always goes back to its waiting items, with the messages."""
    order, item = _item_of(request, number, item_id)
    action_run(request, action, rollin=item.rollin, item=item)
    return _back_to_detail(order.number)


@coordinator_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_tasks_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "dashboard/task_list.html", {"page": page})


@coordinator_required
@require_GET
def order_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    filterset = _filtered(request, request.GET)
    response = StreamingHttpResponse(
        csv_lines(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="bestellungen.csv"'
    return response
