"""No page runs more queries when there is more data: the N+1 guard of every page.

Each page is requested on a small and on a four times larger data set made by the national
generator (orders of several services with roll-ins and history); the number of queries must
be the same, and for list, report and API pages at most MAX_QUERIES. Pages already guarded in
their own app's tests (catalog list/detail, dashboard overview/list/export/detail/tasks, the
staff's order list) are repeated here so one file shows the whole portal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from benchmarks.generator import ensure_bench_user
from benchmarks.measure import TRANSACTION_CONTROL
from geo.models import Authority, State
from orders.models import Order
from tests import factories
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import order_with_rollin

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@dataclass
class Data:
    state: State
    service_slug: str
    order_number: str
    district_ags: str
    staff_authority: Authority


@dataclass
class Page:
    name: str
    role: str  # anonymous, coordinator, viewer, federal, staff
    url: Callable[[Data], str]
    bounded: bool = True  # lists, reports, API: at most MAX_QUERIES

    def __str__(self) -> str:
        return self.name


PAGES = [
    Page("catalog list", "anonymous", lambda d: reverse("catalog:service_list")),
    Page(
        "catalog detail",
        "anonymous",
        lambda d: reverse("catalog:service_detail", args=[d.service_slug]),
    ),
    Page("catalog API list", "anonymous", lambda d: reverse("api-service-list")),
    Page(
        "catalog API detail",
        "anonymous",
        lambda d: reverse("api-service-detail", args=[d.service_slug]),
    ),
    Page("coordinator overview", "coordinator", lambda d: reverse("dashboard:overview")),
    Page("coordinator order list", "coordinator", lambda d: reverse("dashboard:order_list")),
    Page(
        "coordinator order list, filtered",
        "coordinator",
        lambda d: (
            reverse("dashboard:order_list") + f"?state={d.state.pk}&status=in_progress&sort=-due"
        ),
    ),
    Page("CSV export", "coordinator", lambda d: reverse("dashboard:order_export")),
    Page("coordinator tasks", "coordinator", lambda d: reverse("dashboard:my_tasks")),
    Page("white spots", "coordinator", lambda d: reverse("dashboard:white_spots")),
    Page(
        "coordinator order detail",
        "coordinator",
        lambda d: reverse("dashboard:order_detail", args=[d.order_number]),
        bounded=False,
    ),
    Page("staff order list", "staff", lambda d: reverse("orders:order_list")),
    Page(
        "staff order detail",
        "staff",
        lambda d: reverse("orders:order_detail", args=[d.order_number]),
        bounded=False,
    ),
    Page("report: choose state", "viewer", lambda d: reverse("reports:state_overview")),
    Page(
        "report: state",
        "viewer",
        lambda d: reverse("reports:state_report", args=[d.state.ags]),
    ),
    Page(
        "report: service in state",
        "viewer",
        lambda d: reverse("reports:service_report", args=[d.state.ags, d.service_slug]),
    ),
    Page(
        "report: district",
        "viewer",
        lambda d: reverse("reports:district_report", args=[d.district_ags]),
    ),
    Page(
        "report: map of a service",
        "viewer",
        lambda d: reverse("reports:map_report", args=[d.state.ags]) + f"?service={d.service_slug}",
    ),
    Page(
        "report: public summary with map",
        "anonymous",
        lambda d: (
            reverse("reports:public_summary") + f"?land={d.state.ags}&service={d.service_slug}"
        ),
    ),
    Page("federal view", "anonymous", lambda d: reverse("reports:federal")),
    Page("federal view as the federal ministry", "federal", lambda d: reverse("reports:federal")),
    Page("API coverage: federal", "anonymous", lambda d: reverse("api-coverage-federal")),
    Page("API coverage: states", "anonymous", lambda d: reverse("api-coverage-state-list")),
    Page(
        "API coverage: one state",
        "anonymous",
        lambda d: reverse("api-coverage-state-detail", args=[d.state.ags]),
    ),
    Page(
        "API coverage: regions",
        "anonymous",
        lambda d: reverse("api-coverage-region-list", args=[d.state.ags]),
    ),
    Page(
        "API coverage: districts",
        "anonymous",
        lambda d: reverse("api-coverage-district-list", args=[d.state.ags]),
    ),
    Page(
        "API coverage: one service",
        "anonymous",
        lambda d: reverse("api-coverage-service-detail", args=[d.service_slug]),
    ),
]


def _generate(orders: int, services: int) -> Data:
    call_command(
        "generate_national",
        "--skip-geo",
        "--reset",
        f"--orders={orders}",
        f"--services={services}",
        "--seed=3",
        stdout=StringIO(),
    )
    # Detail pages differ by the roll-in's status, not by the amount of data: compare the
    # first live order of both data sets (a full history, the live stage's items).
    order = (
        Order.objects.filter(rollin__status="live")
        .select_related("authority__district", "service")
        .order_by("id")
        .first()
    )
    assert order is not None
    # One order placed through the real services: its release waits for the coordination,
    # so both data sets list a task (an empty task list runs no query for its page).
    order_with_rollin(authority=order.authority, service=ServiceFactory(slug=f"aufgabe-{orders}"))
    return Data(
        state=order.authority.state,
        service_slug=order.service.slug,
        order_number=order.number,
        district_ags=order.authority.district.ags,
        staff_authority=order.authority,
    )


def _client(role: str, data: Data) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "staff":
        user = ensure_bench_user(Role.STAFF)
        user.authority = data.staff_authority
        user.save(update_fields=["authority"])
    else:
        user = ensure_bench_user(role, states=list(State.objects.all()))
    client.force_login(user)
    return client


def _queries(page: Page, data: Data) -> int:
    client = _client(page.role, data)
    url = page.url(data)
    client.get(url)  # warm-up: sessions, caches of the process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            response.getvalue()  # a streamed body queries while it is read
    assert response.status_code == 200, (page.name, url, response.status_code)
    return sum(1 for q in captured.captured_queries if not TRANSACTION_CONTROL.match(q["sql"]))


def test_no_page_runs_more_queries_with_more_data(small_state) -> None:
    factories.StateFactory(ags="08", name="Baden-Württemberg")  # a state to choose between
    small = _generate(orders=20, services=3)
    few = {page.name: _queries(page, small) for page in PAGES}
    large = _generate(orders=80, services=8)
    many = {page.name: _queries(page, large) for page in PAGES}

    assert many == few
    over = {name: n for name, n in many.items() if n > MAX_QUERIES}
    bounded = {page.name for page in PAGES if page.bounded}
    assert not {name: n for name, n in over.items() if name in bounded}
