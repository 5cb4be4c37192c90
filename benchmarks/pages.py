"""What the benchmark measures: each page, who views it, and the raw SQL aggregate it needs.

Pages are found by URL name (several candidates, since the apps land at different times);
a page whose name does not resolve is skipped with a note. The raw SQL is our own GROUP BY
over the same tables: the floor any implementation of the page has to pay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from catalog.models import Service
from geo.models import State

ACTIVE_LIVE = "o.cancelled_at IS NULL AND r.status = 'live'"
ORDER_JOIN = (
    "FROM orders_order o JOIN rollin_rollin r ON r.order_id = o.id "
    "JOIN geo_authority a ON a.id = o.authority_id"
)


@dataclass
class Context:
    """The concrete objects pages are measured with (a large state, the busiest service)."""

    state: State
    service: Service
    state_ids: list[int]

    @property
    def params(self) -> dict[str, Any]:
        return {"state": self.state.id, "states": self.state_ids, "service": self.service.id}


@dataclass
class PageSpec:
    key: str
    label: str
    url_names: list[str]
    role: str  # anonymous, coordinator, viewer
    sql: list[str] = field(default_factory=list)
    query: Callable[[Context], str] = lambda ctx: ""
    runs: int | None = None  # None: the command's --runs
    sql_runs: int | None = None  # None: the command's --sql-runs
    warmup: bool = True
    is_report: bool = True  # targets (≤ 3× SQL, ≤ 15 queries) apply

    def resolve_url(self, ctx: Context) -> str | None:
        kwarg_options: list[dict[str, Any]] = [
            {},
            {"ags": ctx.state.ags},
            {"slug": ctx.service.slug},
            {"service_slug": ctx.service.slug},
            {"ags": ctx.state.ags, "slug": ctx.service.slug},
            {"pk": ctx.service.pk},
        ]
        for name in self.url_names:
            if name.startswith("/"):
                try:
                    resolve(name.split("?")[0])
                except Resolver404:
                    continue
                return name
            for kwargs in kwarg_options:
                try:
                    return reverse(name, kwargs=kwargs) + self.query(ctx)
                except NoReverseMatch:
                    continue
        return None


COVERAGE_BY_STATE_AND_SERVICE = f"""
SELECT a.state_id, o.service_id, COUNT(*) AS orders,
       COUNT(*) FILTER (WHERE r.status = 'live') AS live,
       COALESCE(SUM(a.population) FILTER (WHERE r.status = 'live'), 0) AS live_population
{ORDER_JOIN}
WHERE o.cancelled_at IS NULL
GROUP BY a.state_id, o.service_id
"""
POPULATION_BY_STATE = """
SELECT state_id,
       SUM(population) FILTER (WHERE is_municipal_level) AS municipal,
       SUM(population) FILTER (WHERE is_district_level) AS district
FROM geo_authority GROUP BY state_id
"""

PAGES: list[PageSpec] = [
    PageSpec(
        key="catalog_list",
        label="Leistungskatalog",
        url_names=["catalog:service_list"],
        role="anonymous",
        sql=[
            "SELECT s.id, s.slug, s.name, s.short_description, s.level, s.status, "
            "COUNT(p.prerequisite_id) FROM catalog_service s "
            "LEFT JOIN catalog_service_prerequisites p ON p.service_id = s.id "
            "GROUP BY s.id ORDER BY s.position, s.name"
        ],
        is_report=False,
    ),
    PageSpec(
        key="coordinator_overview",
        label="Koordination: Übersicht",
        url_names=["dashboard:overview"],
        role="coordinator",
        sql=[
            f"""SELECT r.stage_id, r.status, COUNT(*),
                   COUNT(*) FILTER (WHERE r.overdue_flagged_at IS NOT NULL
                                    AND r.status IN ('in_progress', 'waiting', 'failing'))
                {ORDER_JOIN}
                WHERE a.state_id = ANY(%(states)s) AND o.cancelled_at IS NULL
                GROUP BY r.stage_id, r.status"""
        ],
    ),
    PageSpec(
        key="order_list_filtered",
        label="Koordination: Bestellliste gefiltert",
        url_names=["dashboard:order_list"],
        role="coordinator",
        query=lambda ctx: f"?status=failing&service={ctx.service.pk}&state={ctx.state.pk}",
        sql=[
            f"""SELECT o.id, o.number, a.name, s.name, r.status, sd.label, r.due_at
                {ORDER_JOIN} JOIN catalog_service s ON s.id = o.service_id
                JOIN rollin_stagedefinition sd ON sd.id = r.stage_id
                WHERE a.state_id = %(state)s AND o.service_id = %(service)s
                  AND r.status = 'failing'
                ORDER BY o.created_at DESC, o.id DESC LIMIT 50""",
            f"""SELECT COUNT(*) {ORDER_JOIN}
                WHERE a.state_id = %(state)s AND o.service_id = %(service)s
                  AND r.status = 'failing'""",
        ],
    ),
    PageSpec(
        key="state_overview",
        label="Bericht: Länderübersicht",
        url_names=["reports:state_overview"],
        role="viewer",
        sql=[COVERAGE_BY_STATE_AND_SERVICE, POPULATION_BY_STATE],
    ),
    PageSpec(
        key="state_detail",
        label="Bericht: ein Land (Kreise)",
        url_names=["reports:state_detail", "reports:state_report", "reports:state"],
        role="viewer",
        sql=[
            f"""SELECT a.district_id, o.service_id, COUNT(*) FILTER (WHERE r.status = 'live'),
                   COALESCE(SUM(a.population) FILTER (WHERE r.status = 'live'), 0)
                {ORDER_JOIN}
                WHERE a.state_id = %(state)s AND o.cancelled_at IS NULL
                GROUP BY a.district_id, o.service_id""",
            "SELECT id, population FROM geo_district WHERE state_id = %(state)s",
        ],
    ),
    PageSpec(
        key="service_report",
        label="Bericht: eine Leistung",
        url_names=["reports:service_report", "reports:service_detail"],
        role="viewer",
        sql=[
            f"""SELECT a.state_id, r.stage_id, r.status, COUNT(*), SUM(a.population)
                {ORDER_JOIN}
                WHERE o.service_id = %(service)s AND o.cancelled_at IS NULL
                GROUP BY a.state_id, r.stage_id, r.status""",
            f"""SELECT date_trunc('month', r.live_at), COUNT(*) {ORDER_JOIN}
                WHERE o.service_id = %(service)s AND {ACTIVE_LIVE}
                GROUP BY 1 ORDER BY 1""",
        ],
    ),
    PageSpec(
        key="map",
        label="Karte (Kreise)",
        url_names=["reports:map", "reports:coverage_map", "reports:service_map"],
        role="viewer",
        sql=[
            f"""SELECT a.district_id, COALESCE(SUM(a.population), 0) {ORDER_JOIN}
                WHERE o.service_id = %(service)s AND {ACTIVE_LIVE}
                GROUP BY a.district_id""",
            "SELECT id, ags, population FROM geo_district",
        ],
    ),
    PageSpec(
        key="api_coverage",
        label="API: Abdeckung",
        url_names=[
            "coverage-list",
            "coverage_states",
            "coverage-states",
            "api_coverage",
            "coverage_list",
            "/api/v1/coverage/",
            "/api/v1/coverage/states/",
            "/api/v1/coverage/laender/",
        ],
        role="anonymous",
        sql=[COVERAGE_BY_STATE_AND_SERVICE, POPULATION_BY_STATE],
    ),
    PageSpec(
        key="csv_export",
        label="CSV-Export aller Bestellungen",
        url_names=["dashboard:order_export"],
        role="coordinator",
        # A full national export takes seconds; one cold run says enough and keeps it short.
        runs=1,
        sql_runs=1,
        warmup=False,
        sql=[
            f"""SELECT o.number, a.name, a.code, d.name, st.name, s.name, sd.label, r.status,
                   u.email, o.created_at, r.due_at, r.live_at, o.contact_name, o.contact_email
                {ORDER_JOIN} JOIN catalog_service s ON s.id = o.service_id
                JOIN geo_state st ON st.id = a.state_id
                JOIN geo_district d ON d.id = a.district_id
                JOIN rollin_stagedefinition sd ON sd.id = r.stage_id
                LEFT JOIN accounts_user u ON u.id = r.assignee_id
                WHERE a.state_id = ANY(%(states)s)
                ORDER BY o.number"""
        ],
    ),
]
