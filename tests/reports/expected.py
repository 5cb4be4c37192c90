"""Coverage computed independently, in plain Python, from the raw rows.

It reads municipalities (for population), authorities (for responsibility), orders and the
roll-in history, and shares nothing with reports.coverage but the definitions.
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from catalog.models import Responsibility
from geo.models import Authority, Municipality, State
from orders.models import Order
from rollin.models import HistoryEntry


def share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    value = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Decimal("99.9") if value == 100 and part < whole else value


def _valid(ended_on: datetime.date | None, moment: datetime.datetime | None) -> bool:
    """Not ended by a Gebietsstand at `moment` (None: now)."""
    if ended_on is None:
        return True
    return moment is not None and ended_on > timezone.localdate(moment)


def responsible_for(
    state: State, service, moment: datetime.datetime | None = None
) -> dict[int, tuple[Authority, list[Municipality]]]:
    """Authority id → (authority, the municipalities it serves with `service`), by hand.

    Per municipality: its row in the responsibility table, else its level's authority.
    Authorities of the level that serve no recorded municipality keep the level rule.
    """
    exceptions = {
        r.municipality_id: r.authority
        for r in Responsibility.objects.filter(service=service).select_related("authority")
    }
    field = "municipal_authority" if service.level == "municipal" else "district_authority"
    result: dict[int, tuple[Authority, list[Municipality]]] = {}
    with_territory: set[int] = set()
    for m in Municipality.objects.filter(state=state).select_related(f"{field}__district__region"):
        default = getattr(m, field)
        if default is not None:
            with_territory.add(default.pk)
        if not _valid(m.ended_on, moment):
            continue
        authority = exceptions.get(m.pk, default)
        if authority is None or not _valid(authority.ended_on, moment):
            continue
        result.setdefault(authority.pk, (authority, []))[1].append(m)
    for a in Authority.objects.filter(state=state).select_related("district__region"):
        flagged = a.is_municipal_level if service.level == "municipal" else a.is_district_level
        if flagged and a.pk not in with_territory and _valid(a.ended_on, moment):
            result.setdefault(a.pk, (a, []))
    return result


def _live_now(order: Order) -> bool:
    return order.cancelled_at is None and order.rollin.status == "live"


def _live_on(order: Order, moment: datetime.datetime) -> bool:
    if order.created_at > moment:
        return False
    if order.cancelled_at is not None and order.cancelled_at <= moment:
        return False
    return any(
        e.action == HistoryEntry.Action.ADVANCED and e.to_stage.is_live and e.created_at <= moment
        for e in order.rollin.history.all()
    )


def _active_on(order: Order, moment: datetime.datetime | None) -> bool:
    if moment is None:
        return order.cancelled_at is None
    return order.created_at <= moment and (
        order.cancelled_at is None or order.cancelled_at > moment
    )


def expected(
    state: State,
    service,
    *,
    district_ags: str | None = None,
    region_ags: str | None = None,
    moment: datetime.datetime | None = None,
) -> dict[str, object]:
    def in_area(district) -> bool:
        return (district_ags is None or district.ags == district_ags) and (
            region_ags is None
            or (district.region is not None and district.region.ags == region_ags)
        )

    responsibility = responsible_for(state, service, moment)
    authorities = [a for a, _served in responsibility.values() if in_area(a.district)]
    served = {
        pk: sum(m.population for m in municipalities if in_area(m.district))
        for pk, (_a, municipalities) in responsibility.items()
    }
    all_orders = (
        Order.objects.filter(authority__state=state, service=service)
        .select_related("rollin")
        .prefetch_related("rollin__history__to_stage")
    )
    by_authority: dict[int, list[Order]] = {}
    for order in all_orders:
        by_authority.setdefault(order.authority_id, []).append(order)
    responsible = len(authorities)
    population = sum(served.values())
    live = population_live = ordered = 0
    for pk, (authority, _municipalities) in responsibility.items():
        orders = [o for o in by_authority.get(pk, []) if _active_on(o, moment)]
        is_live = any(_live_now(o) if moment is None else _live_on(o, moment) for o in orders)
        if is_live:
            population_live += served[pk]
        if in_area(authority.district):
            ordered += len(orders)
            live += is_live
    return {
        "responsible": responsible,
        "live": live,
        "share_live": share(live, responsible),
        "population": population,
        "population_live": population_live,
        "share_population": share(population_live, population),
        "is_full": responsible > 0 and live == responsible,
        "ordered": ordered,
        "in_progress": ordered - live,
    }


def live_count_at(state: State, service, moment: datetime.datetime) -> int:
    live = expected(state, service, moment=moment)["live"]
    assert isinstance(live, int)
    return live


def projection_label(
    state: State,
    service,
    *,
    today: datetime.date,
    window_start: datetime.datetime,
    window_weeks: int = 8,
) -> tuple[str, bool]:
    """(label, target reachable) by linear extrapolation of the window, computed by hand."""
    now = expected(state, service)
    responsible, live = now["responsible"], now["live"]
    assert isinstance(responsible, int) and isinstance(live, int)
    if responsible and live == responsible:
        return "flächendeckend erreicht", True
    gained = live - live_count_at(state, service, window_start)
    if gained <= 0:
        return "bei aktuellem Tempo nicht absehbar", False
    days = math.ceil((responsible - live) * window_weeks * 7 / gained)
    date = today + datetime.timedelta(days=days)
    return date.strftime("%d.%m.%Y"), date <= state.target_date


STATUS = {
    "live": "live",
    "in_progress": "in Einführung",
    "on_hold": "zurückgestellt",
    "not_ordered": "nicht bestellt",
    "not_responsible": "nicht zuständig",
}


def authority_status(authority: Authority, service) -> str:
    """What the district drill-down must show for the authority and service."""
    if authority.pk not in responsible_for(authority.state, service):
        return STATUS["not_responsible"]
    active = [
        o
        for o in Order.objects.filter(authority=authority, service=service).select_related(
            "rollin__stage"
        )
        if o.cancelled_at is None
    ]
    if not active:
        return STATUS["not_ordered"]
    rollin = active[0].rollin
    if rollin.status == "live":
        return STATUS["live"]
    key = "on_hold" if rollin.status == "on_hold" else "in_progress"
    return f"{STATUS[key]} ({rollin.stage.label})"


def municipality_status(municipality: Municipality, service) -> tuple[str, str]:
    """(responsible authority's name, its status) for one municipality."""
    for authority, municipalities in responsible_for(municipality.state, service).values():
        if municipality in municipalities:
            return authority.name, authority_status(authority, service)
    return "", STATUS["not_responsible"]
