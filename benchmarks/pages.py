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
    streamed: bool = False  # the page reads through a server-side cursor; so does its SQL

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


# An order counts for coverage only where the authority serves the service's level.
SERVES_LEVEL = (
    "((s.level = 'municipal' AND a.is_municipal_level) "
    "OR (s.level = 'district' AND a.is_district_level))"
)
COVERAGE_JOIN = f"{ORDER_JOIN} JOIN catalog_service s ON s.id = o.service_id"


def coverage_by_district(where: str) -> str:
    """Ordered, live and live population per (service, district): what every coverage figure
    of a state's report, map and API rows adds up."""
    return f"""
SELECT o.service_id, a.district_id, COUNT(*) AS ordered,
       COUNT(*) FILTER (WHERE r.status = 'live') AS live,
       COALESCE(SUM(a.population) FILTER (WHERE r.status = 'live'), 0) AS population_live
{COVERAGE_JOIN}
WHERE o.cancelled_at IS NULL AND {SERVES_LEVEL} AND {where}
GROUP BY o.service_id, a.district_id"""


def responsible_by_district(where: str) -> str:
    return f"""
SELECT district_id,
       COUNT(*) FILTER (WHERE is_municipal_level),
       SUM(population) FILTER (WHERE is_municipal_level),
       COUNT(*) FILTER (WHERE is_district_level), SUM(population) FILTER (WHERE is_district_level)
FROM geo_authority WHERE {where} GROUP BY district_id"""


def went_live_by_day(where: str) -> str:
    """The trend and projection: orders entering the live stage per service and day (from the
    history), and such orders cancelled later: the two event streams of a coverage trend."""
    return f"""
SELECT o.service_id, (h.created_at AT TIME ZONE 'Europe/Berlin')::date, COUNT(*),
       SUM(a.population)
FROM rollin_historyentry h
JOIN rollin_stagedefinition sd ON sd.id = h.to_stage_id AND sd.is_live
JOIN rollin_rollin r ON r.id = h.rollin_id
JOIN orders_order o ON o.id = r.order_id
JOIN geo_authority a ON a.id = o.authority_id
JOIN catalog_service s ON s.id = o.service_id
WHERE h.action = 'advanced' AND {SERVES_LEVEL} AND {where}
GROUP BY 1, 2"""


def cancelled_after_live_by_day(where: str) -> str:
    return f"""
SELECT o.service_id, (o.cancelled_at AT TIME ZONE 'Europe/Berlin')::date, COUNT(*),
       SUM(a.population)
FROM orders_order o
JOIN geo_authority a ON a.id = o.authority_id
JOIN catalog_service s ON s.id = o.service_id
WHERE o.cancelled_at IS NOT NULL AND {SERVES_LEVEL} AND {where}
  AND EXISTS (SELECT 1 FROM rollin_historyentry h
              JOIN rollin_rollin r ON r.id = h.rollin_id
              JOIN rollin_stagedefinition sd ON sd.id = h.to_stage_id AND sd.is_live
              WHERE r.order_id = o.id AND h.action = 'advanced')
GROUP BY 1, 2"""


STATE = "a.state_id = %(state)s"
RESPONSIBLE = (
    "((s.level = 'municipal' AND a.is_municipal_level) "
    "OR (s.level = 'district' AND a.is_district_level))"
)
# Responsible authorities of the service in the user's states without an active order.
WHITE_SPOTS = f"""FROM geo_authority a JOIN catalog_service s ON s.id = %(service)s
JOIN geo_district d ON d.id = a.district_id
WHERE a.state_id = ANY(%(states)s) AND {RESPONSIBLE}
  AND NOT EXISTS (SELECT 1 FROM orders_order o WHERE o.authority_id = a.id
                  AND o.service_id = s.id AND o.cancelled_at IS NULL)"""
STATE_SERVICE = "a.state_id = %(state)s AND o.service_id = %(service)s"
STATE_REPORT_SQL = [
    coverage_by_district(STATE),
    responsible_by_district("state_id = %(state)s"),
    went_live_by_day(STATE),
    cancelled_after_live_by_day(STATE),
]
ACTIVE_STATUSES = "('in_progress', 'waiting')"
# Manual items of the coordination that are next in line in their roll-in's current stage.
OPEN_COORDINATOR_ITEMS = """
    FROM rollin_rollinitem i JOIN rollin_itemdefinition d ON d.id = i.definition_id
    JOIN rollin_rollin r ON r.id = i.rollin_id JOIN orders_order o ON o.id = r.order_id
    JOIN geo_authority a ON a.id = o.authority_id
    WHERE a.state_id = ANY(%(states)s) AND i.status IN ('open', 'rejected')
      AND d.kind = 'manual' AND d.actor = 'coordinator' AND i.stage_id = r.stage_id
      AND r.waiting_on = 'coordinator'
      AND NOT EXISTS (
          SELECT 1 FROM rollin_rollinitem e
          JOIN rollin_itemdefinition ed ON ed.id = e.definition_id
          WHERE e.rollin_id = i.rollin_id AND e.stage_id = i.stage_id AND e.status <> 'done'
            AND (ed.position < d.position OR (ed.position = d.position AND e.id < i.id)))"""


def live_at_window_start_by_district(where: str) -> str:
    """Live per (service, district) eight weeks ago, from the history: the federal pace."""
    return f"""
SELECT o.service_id, a.district_id, COUNT(*)
{COVERAGE_JOIN}
WHERE o.created_at <= now() - interval '8 weeks'
  AND (o.cancelled_at IS NULL OR o.cancelled_at > now() - interval '8 weeks')
  AND {SERVES_LEVEL} AND {where}
  AND EXISTS (SELECT 1 FROM rollin_historyentry h
              JOIN rollin_stagedefinition sd ON sd.id = h.to_stage_id AND sd.is_live
              WHERE h.rollin_id = r.id AND h.action = 'advanced'
                AND h.created_at <= now() - interval '8 weeks')
GROUP BY 1, 2"""


OPEN_STATES = "a.state_id IN (SELECT id FROM geo_state WHERE opened_at IS NOT NULL)"
FEDERAL_SQL = [
    coverage_by_district(OPEN_STATES),
    responsible_by_district("state_id IN (SELECT id FROM geo_state WHERE opened_at IS NOT NULL)"),
    live_at_window_start_by_district(OPEN_STATES),
    """SELECT state_id, service_id FROM catalog_serviceoffering
       WHERE state_id IN (SELECT id FROM geo_state WHERE opened_at IS NOT NULL)""",
]

PAGES: list[PageSpec] = [
    PageSpec(
        key="catalog_list",
        label="Leistungskatalog",
        url_names=["catalog:service_list"],
        role="anonymous",
        # The first page of ten services with the authorities that ordered / run each.
        sql=[
            """SELECT s.id, s.slug, s.name, s.short_description, s.level, s.status,
                   COUNT(DISTINCT o.authority_id) FILTER (WHERE o.cancelled_at IS NULL),
                   COUNT(DISTINCT o.authority_id)
                       FILTER (WHERE o.cancelled_at IS NULL AND r.status = 'live')
               FROM (SELECT * FROM catalog_service ORDER BY position, name LIMIT 10) s
               LEFT JOIN orders_order o ON o.service_id = s.id
               LEFT JOIN rollin_rollin r ON r.order_id = o.id
               GROUP BY s.id, s.slug, s.name, s.short_description, s.level, s.status,
                        s.position
               ORDER BY s.position, s.name""",
            "SELECT COUNT(*) FROM catalog_service",
        ],
        is_report=False,
    ),
    PageSpec(
        key="coordinator_overview",
        label="Koordination: Übersicht",
        url_names=["dashboard:overview"],
        role="coordinator",
        # Matrix service × stage and the status totals in one pass, then the weekly series.
        sql=[
            f"""SELECT o.service_id, sd.position, r.status, COUNT(*),
                   COUNT(*) FILTER (WHERE r.due_at < now()
                                    AND r.status NOT IN ('live', 'cancelled'))
                {ORDER_JOIN} JOIN rollin_stagedefinition sd ON sd.id = r.stage_id
                WHERE a.state_id = ANY(%(states)s)
                GROUP BY 1, 2, 3""",
            f"""SELECT date_trunc('week', o.created_at AT TIME ZONE 'Europe/Berlin'), COUNT(*)
                {ORDER_JOIN}
                WHERE a.state_id = ANY(%(states)s)
                  AND o.created_at >= now() - interval '26 weeks'
                GROUP BY 1""",
            f"""SELECT date_trunc('week', r.live_at AT TIME ZONE 'Europe/Berlin'), COUNT(*)
                {ORDER_JOIN}
                WHERE a.state_id = ANY(%(states)s) AND r.live_at >= now() - interval '26 weeks'
                GROUP BY 1""",
        ],
    ),
    PageSpec(
        key="coordinator_start",
        label="Koordination: Startseite",
        url_names=["start"],
        role="coordinator",
        # Where a coordinator lands after signing in: the counts that need them and the
        # first tasks of their queue (the roll-ins longest at their stage, and the items
        # they wait for).
        sql=[
            """SELECT status, SUM(orders) FROM rollin_statusfigure
               WHERE state_id = ANY(%(states)s) AND status IN ('failing', 'on_hold')
               GROUP BY status""",
            """SELECT SUM(open) FROM rollin_duefigure
               WHERE state_id = ANY(%(states)s) AND due_on < current_date""",
            """SELECT SUM(orders), SUM(orders) FILTER (WHERE NOT assigned)
               FROM rollin_waitingfigure
               WHERE state_id = ANY(%(states)s) AND waiting_on = 'coordinator'""",
            f"""SELECT i.id, o.number {OPEN_COORDINATOR_ITEMS}
                AND r.id IN (
                    SELECT q.id FROM rollin_rollin q JOIN orders_order qo ON qo.id = q.order_id
                    JOIN geo_authority qa ON qa.id = qo.authority_id
                    WHERE q.waiting_on = 'coordinator' AND qa.state_id = ANY(%(states)s)
                      AND q.assignee_id IS NULL
                    ORDER BY q.stage_entered_at, q.id LIMIT 10)""",
        ],
        is_report=False,
    ),
    PageSpec(
        key="order_list_filtered",
        label="Koordination: Bestellliste gefiltert",
        url_names=["dashboard:order_list"],
        role="coordinator",
        query=lambda ctx: (
            f"?state={ctx.state.pk}&service={ctx.service.pk}&status=in_progress&sort=-due"
        ),
        sql=[
            f"""SELECT o.id, o.number, a.name, d.name, s.name, sd.label, r.status, r.due_at,
                   u.email
                {ORDER_JOIN} JOIN catalog_service s ON s.id = o.service_id
                JOIN geo_district d ON d.id = a.district_id
                JOIN rollin_stagedefinition sd ON sd.id = r.stage_id
                LEFT JOIN accounts_user u ON u.id = r.assignee_id
                WHERE r.state_id = %(state)s AND r.service_id = %(service)s
                  AND r.status IN {ACTIVE_STATUSES}
                ORDER BY r.due_at DESC NULLS LAST, o.id DESC LIMIT 50""",
            # The page counts from the status figures, not over the orders.
            f"""SELECT SUM(f.orders) FROM rollin_statusfigure f
                WHERE f.state_id = %(state)s AND f.service_id = %(service)s
                  AND f.status IN {ACTIVE_STATUSES}""",
        ],
    ),
    PageSpec(
        key="state_report",
        label="Bericht: Versorgung eines Landes",
        url_names=["reports:state_report"],
        role="viewer",
        sql=STATE_REPORT_SQL,
    ),
    PageSpec(
        key="service_report",
        label="Bericht: eine Leistung im Land",
        url_names=["reports:service_report"],
        role="viewer",
        sql=[
            coverage_by_district(STATE_SERVICE),
            responsible_by_district("state_id = %(state)s"),
            went_live_by_day(STATE_SERVICE),
            cancelled_after_live_by_day(STATE_SERVICE),
        ],
    ),
    PageSpec(
        key="map",
        label="Karte: Kreise einer Leistung",
        url_names=["reports:map_report", "reports:public_summary"],
        role="viewer",
        query=lambda ctx: f"?land={ctx.state.ags}&service={ctx.service.slug}",
        # The map colours the districts for one service: that service's figures only.
        sql=[coverage_by_district(STATE_SERVICE), responsible_by_district("state_id = %(state)s")],
    ),
    PageSpec(
        key="federal",
        label="Bund und Länder: Ziel je Land",
        url_names=["reports:federal"],
        role="anonymous",
        # Every open state's coverage now and eight weeks ago (the pace), and the offerings.
        sql=FEDERAL_SQL,
    ),
    PageSpec(
        key="api_coverage",
        label="API: Abdeckung aller Länder",
        url_names=["api-coverage-state-list", "/api/v1/coverage/states/"],
        role="anonymous",
        sql=[
            coverage_by_district("TRUE"),
            responsible_by_district("TRUE"),
        ],
    ),
    PageSpec(
        key="white_spots",
        label="Koordination: Weiße Flecken (ganz Deutschland)",
        url_names=["dashboard:white_spots"],
        role="coordinator",
        # No state chosen: the bench coordinator's states are all of Germany.
        query=lambda ctx: f"?service={ctx.service.pk}",
        sql=[
            f"""SELECT a.id, a.name, a.kind, a.key, d.name, a.population,
                   EXISTS (SELECT 1 FROM accounts_user u WHERE u.authority_id = a.id
                           AND u.role = 'staff' AND u.is_active)
                {WHITE_SPOTS}
                ORDER BY a.population DESC, a.name, a.id LIMIT 50""",
            f"SELECT COUNT(*) {WHITE_SPOTS}",
            f"""SELECT COUNT(*), SUM(a.population),
                   COUNT(*) FILTER (WHERE r.status = 'live'),
                   SUM(a.population) FILTER (WHERE r.status = 'live')
                FROM geo_authority a JOIN catalog_service s ON s.id = %(service)s
                LEFT JOIN orders_order o ON o.authority_id = a.id
                     AND o.service_id = s.id AND o.cancelled_at IS NULL
                LEFT JOIN rollin_rollin r ON r.order_id = o.id
                WHERE a.state_id = ANY(%(states)s) AND {RESPONSIBLE}""",
            f"""SELECT a.district_id, COUNT(*) {WHITE_SPOTS}
                GROUP BY a.district_id HAVING COUNT(*) = 1""",
        ],
    ),
    PageSpec(
        key="csv_export",
        label="CSV-Export aller Bestellungen",
        url_names=["dashboard:order_export"],
        role="coordinator",
        # Last: a page measured right after streaming 500,000 rows in the same process took
        # 83–106 instead of 66 ms (p50), with the old code as with the new; before it, every
        # page is measured in the same state. A national export takes seconds; one cold run.
        runs=1,
        sql_runs=1,
        warmup=False,
        is_report=False,
        streamed=True,
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
