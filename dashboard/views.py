"""Coordination pages. Every view is wrapped by coordinator_required; orders are fetched through
dashboard.access (404 outside the coordinator's states); writes go through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dashboard import selectors, services
from dashboard.access import coordinated_states, coordinator_required, dashboard_order_get
from dashboard.export import csv_lines
from dashboard.filters import OrderFilter, order_filter_for
from dashboard.forms import BulkActionForm, WhiteSpotForm
from dashboard.overview_cache import overview_context
from dashboard.tables import WHITE_SPOT_COLUMNS, sort_headers
from orders.forms import CommentForm
from portal.paging import CountedPaginator
from reports.coverage import coverage_services
from reports.exports import table_response
from reports.white_spots import (
    DEFAULT_SORT,
    one_away,
    split_of,
    white_spot_table,
    white_spots,
)
from rollin.actions import action_run, panel_forms
from rollin.models import RollinItem
from rollin.selectors import rollin_panel
from rollin.turn import orders_with_turns

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.typing import AuthenticatedHttpRequest
    from orders.models import Order

PAGE_SIZE = 50


@coordinator_required
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Rendered per version of the maintained figures it shows (dashboard.overview_cache).
    context = overview_context(request.user, now=timezone.now())
    return render(request, "dashboard/overview.html", context)


def _filtered(request: AuthenticatedHttpRequest, params: QueryDict) -> OrderFilter:
    return order_filter_for(request.user, params, selectors.dashboard_orders_for(request.user))


@coordinator_required
@require_GET
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = _filtered(request, request.GET)
    filterset.offer_kept_choices()
    paginator = CountedPaginator(filterset.qs, PAGE_SIZE, known_count=filterset.figure_count())
    page = paginator.get_page(request.GET.get("page"))
    # Every order of this list is of the coordinator's states (or the operator's).
    page.object_list = orders_with_turns(page.object_list, request.user, coordinates=True)
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
                # The filter above has an "assignee" too: distinct ids keep the page valid HTML.
                auto_id="bulk_%s",
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
    return _detail_page(request, dashboard_order_get(request.user, number))


def _detail_page(
    request: AuthenticatedHttpRequest,
    order: Order,
    *,
    status: int = 200,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    rollin = getattr(order, "rollin", None)
    panel = rollin_panel(rollin, request.user) if rollin else None
    context = {
        "order": order,
        "rollin": rollin,
        "panel": panel_forms(panel, bound) if panel else None,
        "coordinator_items": selectors.coordinator_items_of(rollin) if rollin else [],
        "rejectable_items": selectors.rejectable_items_of(rollin) if rollin else [],
        "connector_log": selectors.connector_log_of(rollin) if rollin else [],
        "comments": order.comments.select_related("author"),
        "comment_form": CommentForm(),
        "funding_case": getattr(order, "funding_case", None),
    }
    return render(request, "dashboard/order_detail.html", context, status=status)


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
@require_POST
def order_action(request: AuthenticatedHttpRequest, number: str, action: str) -> HttpResponse:
    """Hold, resume (or retry), cancel, assign or remind from the coordination's order page:
    the staff page's actions and error handling (rollin.actions), but the coordinator stays
    here, with the messages; a form with errors is shown again as typed (400)."""
    order = dashboard_order_get(request.user, number)
    rollin = getattr(order, "rollin", None)
    if rollin is None:
        raise Http404(_("Kein Roll-in."))
    outcome = action_run(request, action, rollin=rollin)
    if outcome.done:
        return redirect(reverse("dashboard:order_detail", args=[order.number]) + "#rollin")
    return _detail_page(request, order, status=400, bound=outcome.bound)


@coordinator_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    _waiting, queue = selectors.coordination_waiting(request.user)
    paginator = CountedPaginator(selectors.my_queue_for(request.user), PAGE_SIZE, known_count=queue)
    page = paginator.get_page(request.GET.get("page"))
    tasks = selectors.tasks_of(page.object_list)
    rows = [(item, selectors.task_turn(item, request.user)) for item in tasks]
    return render(request, "dashboard/task_list.html", {"page": page, "rows": rows})


@coordinator_required
@require_GET
def order_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    filterset = _filtered(request, request.GET)
    response = StreamingHttpResponse(
        csv_lines(filterset.qs), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="bestellungen.csv"'
    return response


@coordinator_required
@require_GET
def white_spot_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Responsible authorities without an order of a service, by area; CSV/XLSX of the list."""
    states = coordinated_states(request.user)
    services = coverage_services()
    data = request.GET.copy()
    if not data.get("service"):
        first = services.first()
        if first is not None:
            data["service"] = str(first.pk)
    form = WhiteSpotForm(data, states=states.order_by("name"), services=services)
    form.is_valid()  # invalid fields are shown with their message and filter nothing
    service = form.cleaned_data.get("service")
    if service is None:
        form.offer_kept_choices()
        return render(request, "dashboard/white_spots.html", {"form": form, "service": None})
    area = form.area()
    sort = form.cleaned_data.get("sort") or DEFAULT_SORT
    spots = white_spots(
        service,
        area,
        registered=form.registered_filter(),
        search=form.cleaned_data.get("q", ""),
        sort=sort,
    )
    fmt = request.GET.get("format", "")
    if fmt:
        table = white_spot_table(spots, service)
        export = table_response(table, fmt, f"weisse-flecken-{service.slug}")
        if export is None:
            raise Http404
        return export
    page = Paginator(spots, PAGE_SIZE).get_page(request.GET.get("page"))
    form.offer_kept_choices()
    return render(
        request,
        "dashboard/white_spots.html",
        {
            "form": form,
            "service": service,
            "page": page,
            "split": split_of(service, area),
            "one_away": one_away(service, area),
            "headers": sort_headers(data, WHITE_SPOT_COLUMNS, default=sort),
            # Links keep the filter: paging keeps the sort, sorting starts at page one.
            "page_query": _without(data, "page"),
            # The campaign form starts with this service and area (outreach's page, by URL).
            "campaign_query": _campaign_query(form),
        },
    )


def _campaign_query(form: WhiteSpotForm) -> str:
    query = QueryDict(mutable=True)
    query["audience"] = "white_spots"
    for name in ("service", "state", "region", "district"):
        value = form.cleaned_data.get(name)
        if value is not None:
            query[name] = str(value.pk)
    return query.urlencode()


def _without(data: QueryDict, name: str) -> str:
    query = data.copy()
    query.pop(name, None)
    return query.urlencode()
