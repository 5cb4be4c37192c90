"""The coordinator overview, rendered once per version of what it shows.

Every coordinator opens the overview many times a day while the worker and people change
roll-ins all day. Its blocks are cached template fragments (`{% cache %}` in
dashboard/overview.html) keyed by the versions of the figures they draw from
(rollin.figure_versions), so a visit while nothing changed reads no figure and renders no
table, and a change shows at the next visit:

- totals: the status figures of the user's states and the overdue count;
- matrix: the orders per service and stage (the stage figures' version);
- weekly series and pace: the lifecycle figures (placed, live, cancelled) and today's date.

Hold and resume, reminders and the worker's steps within a stage change the totals only: the
matrix, 50 services × 8 stages of links, is not rendered again for them. The values behind
the blocks are lazy: a block served from the cache never computes them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from catalog.models import Service
from dashboard import selectors
from dashboard.access import coordinated_state_ids, coordinated_states
from dashboard.charts import weekly_chart
from dashboard.status_counts import per_state
from reports.pace import pace_for_states
from rollin import figure_versions

if TYPE_CHECKING:
    from accounts.models import User


def overview_context(user: User, *, now: datetime.datetime) -> dict[str, Any]:
    seconds = settings.ROLLIN_FIGURES_CACHE_SECONDS
    states: Any
    if seconds:
        # The cache keys need the states' ids only; the blocks read the states if they render.
        state_ids = coordinated_state_ids(user)
        states = SimpleLazyObject(lambda: list(coordinated_states(user)))
    else:
        states = list(coordinated_states(user))
        state_ids = [state.pk for state in states]
    # Matrix and pace both name all services: read once, and only when a block is rendered.
    services: Any = SimpleLazyObject(lambda: list(Service.objects.all()))
    versions = figure_versions.figures_versions(state_ids) if seconds else None
    status = versions.token(figure_versions.STATUS) if versions else ""
    stage = versions.token(figure_versions.STAGE) if versions else ""
    lifecycle = versions.token(figure_versions.LIFECYCLE) if versions else ""
    overdue = _overdue(state_ids, now, versions.by_state(figure_versions.DUE) if versions else None)
    status_versions = versions.by_state(figure_versions.STATUS) if versions else None
    overview = SimpleLazyObject(
        lambda: selectors.overview_for(
            state_ids, services=services, overdue=overdue, state_versions=status_versions
        )
    )
    totals: Any
    if status_versions is None:
        # Uncached, the page renders every block: the totals come with the matrix.
        totals = SimpleLazyObject(lambda: overview.totals)
    else:
        totals = SimpleLazyObject(
            lambda: selectors.overview_totals(
                state_ids, overdue=overdue, state_versions=status_versions
            )
        )
    weeks = SimpleLazyObject(lambda: selectors.weekly_series(state_ids, now=now))
    return {
        "overview": overview,
        "totals": totals,
        "weeks": weeks,
        "chart": SimpleLazyObject(lambda: weekly_chart(list(weeks))),
        # Will we make it? A few aggregate queries over the maintained figures.
        "pace": SimpleLazyObject(lambda: pace_for_states(states, services_loaded=services)),
        "cache_seconds": seconds,
        "figures_key": f"{status}|{overdue}",
        "matrix_key": stage,
        "lifecycle_key": f"{lifecycle}|{timezone.localdate(now)}",
    }


def _overdue(
    state_ids: list[int], now: datetime.datetime, versions: Mapping[int, str] | None
) -> int:
    """The overdue count changes with the clock, not only with the figures: each state's is
    kept under its due version until the next of its roll-ins due today falls due, so a
    change reads one state again."""
    if versions is None:
        return selectors.overdue_until(state_ids, now)[0]
    counts = per_state(
        "overdue",
        state_ids,
        versions,
        lambda missing: selectors.overdue_by_state(missing, now),
        holds=lambda count_until: now < count_until[1],
    )
    return sum(count for count, _until in counts)
