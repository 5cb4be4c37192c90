"""The demo's states: Bavaria, where the programme started, and Saarland, opened beside it
through the same opening flow an operator uses (catalog.opening), so that a fresh `make run`
shows the federal view with more than one state.

Demo data, never for production (setup_portal --no-demo skips it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import opening
from catalog.models import Service
from geo.importers import GeoDataError
from geo.models import Authority, State


@dataclass(frozen=True)
class DemoState:
    ags: str
    general_contractor: str
    target_date: datetime.date


DEMO_STATES = [
    DemoState("09", "AKDB", datetime.date(2026, 12, 31)),
    # Saarland: small (52 Gemeinden), so a fresh `make run` stays fast.
    DemoState("10", "IT-Dienstleistungszentrum Saarland (IT-DLZ)", datetime.date(2027, 6, 30)),
]


def demo_state_prepare(demo: DemoState, *, import_territory: bool) -> State | None:
    """Every step but the coordinators and the opening itself; None when the state's territory
    is not there (not imported, or missing from the data folder, e.g. a test's small one)."""
    state = opening.opening_state_get(demo.ags)
    has_territory = state is not None and Authority.objects.filter(state=state).exists()
    if not has_territory and import_territory:
        try:
            opening.opening_territory_import(ags=demo.ags)
        except (GeoDataError, ValidationError):
            return None
        state = opening.opening_state_get(demo.ags)
    if state is None or not Authority.objects.filter(state=state).exists():
        return None
    if state.is_open:
        return state
    if state.responsibility_confirmed_at is None:
        opening.opening_responsibility_confirm(state=state)
    offered = set(state.offerings.values_list("service_id", flat=True))
    for service in Service.objects.filter(status=Service.Status.AVAILABLE):
        if service.pk not in offered:
            opening.opening_service_offer_from_catalog(state=state, service=service)
    if not state.general_contractor:
        opening.opening_contractor_set(state=state, general_contractor=demo.general_contractor)
    if state.target_date < demo.target_date and demo.target_date >= timezone.localdate():
        opening.opening_target_set(
            state=state, target_date=demo.target_date, target_services=state.target_services
        )
    return state


def demo_states_prepare(*, import_territory: bool = True) -> list[State]:
    """The demo states ready to open; `import_territory` False: only those already imported."""
    prepared = (demo_state_prepare(d, import_territory=import_territory) for d in DEMO_STATES)
    return [state for state in prepared if state is not None]
