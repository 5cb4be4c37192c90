"""The start page of each role, after signing in: what each of them comes for.

Staff: their authority's services, each with its state and whose turn it is, and what is
theirs to do. Coordinators: their work queue and the counts that need them, each linking to
the filtered list. Ministry viewers: their states' coverage at a glance. A fixed number of
queries per page, whatever the number of orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog.models import Service
from catalog.opening import states_open
from catalog.rules import service_order_blockers
from dashboard.selectors import attention_counts, my_queue_for, task_turn, tasks_of
from reports.access import state_visible_to
from reports.coverage import Figures, coverage_services, coverage_totals_for_states
from rollin.models import RollinItem
from rollin.service_states import ServiceState, service_states_for
from rollin.turn import Turn

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import State

QUEUE_LENGTH = 10


@dataclass(frozen=True)
class ServiceRow:
    service: Service
    state: ServiceState | None  # None: not ordered
    blocker: str | None  # why it cannot be ordered (only when not ordered)


@dataclass(frozen=True)
class StaffStart:
    rows: list[ServiceRow]
    tasks: list[ServiceState]  # orders where it is the authority's turn


def staff_start(user: User) -> StaffStart:
    """Every service of the catalog with what the authority has of it: the same queries for
    one service or fifty."""
    states = service_states_for(user)
    services = list(Service.objects.order_by("position", "name"))
    blockers = service_order_blockers(user, [s for s in services if s.pk not in states])
    rows = [
        ServiceRow(service=service, state=states.get(service.pk), blocker=blockers.get(service.pk))
        for service in services
    ]
    tasks = [state for state in states.values() if state.turn and state.turn.readers_turn]
    return StaffStart(rows=rows, tasks=tasks)


@dataclass(frozen=True)
class CoordinatorStart:
    queue: list[tuple[RollinItem, Turn]]
    queue_total: int
    counts: dict[str, int]


def coordinator_start(user: User) -> CoordinatorStart:
    """The oldest tasks of the user's queue and the counts that need the coordination."""
    queue = tasks_of(my_queue_for(user)[:QUEUE_LENGTH])
    counts = attention_counts(user)
    return CoordinatorStart(
        queue=[(item, task_turn(item, user)) for item in queue],
        queue_total=counts["queue"],
        counts=counts,
    )


@dataclass(frozen=True)
class StateGlance:
    state: State
    services: list[tuple[Service, Figures]]


def ministry_start(user: User) -> list[StateGlance]:
    """Coverage of each state the user reads (the federal ministry: every open state): the
    whole state's figures per service, for all of them in one go (the same queries for 16
    states as for one)."""
    # The federal ministry reads all of Germany: the states open so far (the federal page
    # lists the others).
    states = (
        states_open() if user.is_federal_viewer else list(state_visible_to(user).order_by("ags"))
    )
    services = list(coverage_services())
    totals = coverage_totals_for_states(states, services)
    return [
        StateGlance(
            state=state,
            services=[(service, totals[(service.pk, state.pk)]) for service in services],
        )
        for state in states
    ]
