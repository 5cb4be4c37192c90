"""The overview's matrix and totals: the status figures folded into services × default stages.

`status_counts` folds the figures of all the user's states in one query. While roll-ins
change, the overview is re-rendered after every change (dashboard.overview_cache), yet a
change touches one state: `status_counts_by_state` keeps each state's folded counts in the
process's memory under that state's status version (rollin.figure_versions) and reads only
the states whose version moved. A coordinator of all sixteen states then re-reads 1/16 of
the rows after a change instead of all of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.cache import caches
from django.db.models import QuerySet, Sum

from rollin.models import Rollin, StageDefinition, StatusFigure

Status = Rollin.Status
# service id → count per default stage column; status → count.
Counts = tuple[dict[int, list[int]], dict[str, int]]
MEMO_SECONDS = 60 * 60


def status_counts(state_ids: list[int], stages: Sequence[StageDefinition]) -> Counts:
    """The counts of the states in one query."""
    return _fold(_cells(StatusFigure.objects.filter(state_id__in=state_ids)), stages)


def status_counts_by_state(
    state_ids: Iterable[int], stages: Sequence[StageDefinition], versions: Mapping[int, str]
) -> Counts:
    """The same counts, summed from each state's, which are read again only when the state's
    version (which includes the reference data, and so the stages) moved."""

    def read(missing: list[int]) -> dict[int, Counts]:
        by_state: dict[int, list[Cell]] = {state_id: [] for state_id in missing}
        figures = StatusFigure.objects.filter(state_id__in=missing)
        for state_id, *cell in _cells(figures, by_state=True):
            by_state[state_id].append(tuple(cell))
        return {state_id: _fold(cells, stages) for state_id, cells in by_state.items()}

    known = per_state("status", state_ids, versions, read)
    return _sum(known, len(stages))


def status_totals_by_state(state_ids: Iterable[int], versions: Mapping[int, str]) -> dict[str, int]:
    """The orders per status of the states, each state's kept under its status version: the
    overview's totals after a hold read a handful of sums, not the state's ~1,200 rows."""

    def read(missing: list[int]) -> dict[int, dict[str, int]]:
        fresh = {state_id: dict.fromkeys(Status.values, 0) for state_id in missing}
        sums = (
            StatusFigure.objects.filter(state_id__in=missing)
            .values("state_id", "status")
            .annotate(n=Sum("orders"))
            .values_list("state_id", "status", "n")
            .order_by()
        )
        for state_id, status, n in sums:
            fresh[state_id][status] += n or 0
        return fresh

    totals: dict[str, int] = dict.fromkeys(Status.values, 0)
    for by_status in per_state("totals", state_ids, versions, read):
        for status, n in by_status.items():
            totals[status] += n
    return totals


T = TypeVar("T")


def per_state(
    what: str,
    state_ids: Iterable[int],
    versions: Mapping[int, str],
    read: Callable[[list[int]], dict[int, T]],
    *,
    holds: Callable[[T], bool] = lambda _value: True,
) -> list[T]:
    """Each state's value, kept in the process's memory under the state's version: `read`
    is called once, for the states whose version moved since or whose value no longer
    `holds` (the overdue count, which the clock moves too)."""
    memo = caches["figures"]
    keys = {state_id: f"overview:{what}:{state_id}:{versions[state_id]}" for state_id in state_ids}
    # The values of all these states at these versions, kept as one entry too: a coordinator
    # of all sixteen states reads one entry per visit, not sixteen (a tenth of a millisecond).
    together = f"overview:{what}:states:{_digest(keys.values())}"
    values: list[T] | None = memo.get(together)
    if values is not None and all(holds(value) for value in values):
        return values
    known: dict[str, T] = memo.get_many(list(keys.values()))
    missing = [
        state_id for state_id, key in keys.items() if key not in known or not holds(known[key])
    ]
    if missing:
        fresh = {keys[state_id]: value for state_id, value in read(missing).items()}
        memo.set_many(fresh, MEMO_SECONDS)
        known.update(fresh)
    values = [known[key] for key in keys.values()]
    memo.set(together, values, MEMO_SECONDS)
    return values


def _digest(keys: Iterable[str]) -> str:
    return hashlib.blake2b("|".join(keys).encode(), digest_size=16).hexdigest()


# (service id, stage position, status, orders); read as tuples: a state has ~1,200 of them.
Cell = tuple[int, int, str, int]


def _cells(figures: QuerySet[StatusFigure], *, by_state: bool = False) -> Iterable[Any]:
    keys = ["service_id", "stage__position", "status"]
    cells: Iterable[Any] = (
        figures.values(*(["state_id", *keys] if by_state else keys))
        .annotate(n=Sum("orders"))
        .values_list(*(["state_id", *keys] if by_state else keys), "n")
    )
    return cells


def _fold(cells: Iterable[Cell], stages: Sequence[StageDefinition]) -> Counts:
    position_index = {stage.position: i for i, stage in enumerate(stages)}
    width = len(stages)
    by_service: dict[int, list[int]] = {}
    by_status: dict[str, int] = dict.fromkeys(Status.values, 0)
    for service_id, position, status, n in cells:
        by_status[status] += n
        column = position_index.get(position)
        if status == Status.CANCELLED or column is None or not n:
            continue  # column None: a service template's extra stage, not a default column
        row = by_service.get(service_id)
        if row is None:
            row = by_service[service_id] = [0] * width
        row[column] += n
    return by_service, by_status


def _sum(parts: list[Counts], columns: int) -> Counts:
    by_service: dict[int, list[int]] = {}
    by_status: dict[str, int] = dict.fromkeys(Status.values, 0)
    for services, statuses in parts:
        for status, n in statuses.items():
            by_status[status] += n
        for service_id, counts in services.items():
            total = by_service.get(service_id)
            if total is None:
                by_service[service_id] = list(counts)
            else:
                by_service[service_id] = [a + b for a, b in zip(total, counts, strict=True)]
    return by_service, by_status
