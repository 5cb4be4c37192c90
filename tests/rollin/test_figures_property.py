"""The maintained figures equal the figures recomputed from the base tables after every step
of random sequences of placements, worker steps, people's items, holds, resumes,
assignments, cancellations, template edits, re-imports of the territory (inhabitants, ended
authorities) and rebuilds (the repair command); and every roll-in's `waiting_on` equals
whose turn its items say it is."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from geo.models import Authority
from geo.services import geodata_import_listeners_call
from orders.models import Order
from rollin.connectors import InProcessConnector
from rollin.figures import (
    figures_maintained,
    figures_rebuild,
    figures_rebuild_stage,
    figures_recomputed,
)
from rollin.models import ItemDefinition, Rollin, StageDefinition
from rollin.ordering import order_cancel
from rollin.pipeline import next_open_item
from rollin.services import (
    TransitionError,
    rollin_assign,
    rollin_hold,
    rollin_item_complete,
    rollin_resume,
)
from rollin.waiting import PEOPLE, next_item_is_for, waiting_on_for
from rollin.worker import rollin_advance
from tests import factories
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import default_template, open_manual_item, order_with_rollin

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


class FiguresMachine(RuleBasedStateMachine):
    """One example: a fresh world in a transaction that is rolled back at teardown."""

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        default_template()
        self.states = [factories.StateFactory(), factories.StateFactory(ags="06", name="Hessen")]
        self.districts = [
            factories.DistrictFactory(),
            factories.DistrictFactory(
                ags="06411", name="Darmstadt", region=None, state=self.states[1]
            ),
        ]
        self.services = [ServiceFactory(), DistrictServiceFactory()]
        self.coordinator = factories.CoordinatorFactory(states=self.states)
        self.orders: list[Order] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _order(self, index: int) -> Order | None:
        return self.orders[index % len(self.orders)] if self.orders else None

    def _rollin_id(self, index: int) -> int | None:
        order = self._order(index)
        return None if order is None else Rollin.objects.get(order=order).pk

    @rule(district=st.integers(0, 1), service=st.integers(0, 1), levels=st.integers(1, 3))
    def place(self, district: int, service: int, levels: int) -> None:
        """An order of an authority at the municipal level, the district level or both (a
        kreisfreie Stadt): whether it counts for coverage depends on the service's level."""
        authority = factories.AuthorityFactory(
            district=self.districts[district],
            key=f"{self.districts[district].ags}{len(self.orders):04d}",
            is_municipal_level=bool(levels & 1),
            is_district_level=bool(levels & 2),
            population=1000 + 7 * len(self.orders),
        )
        self.orders.append(order_with_rollin(authority=authority, service=self.services[service]))

    @rule(index=st.integers(0, 50))
    def worker_step(self, index: int) -> None:
        order = self._order(index)
        if order is not None:
            rollin_advance(order_id=order.pk, connector=InProcessConnector())

    @rule(index=st.integers(0, 50))
    def complete_item(self, index: int) -> None:
        order = self._order(index)
        if order is None:
            return
        item = open_manual_item(Rollin.objects.get(order=order))
        if item is None:
            return
        staff = item.definition.actor == ItemDefinition.Actor.STAFF
        document = ContentFile(PDF, name="v.pdf") if item.definition.requires_document else None
        # On hold or cancelled meanwhile: the table refuses, nothing changes.
        with contextlib.suppress(TransitionError):
            rollin_item_complete(
                item_id=item.pk,
                actor=order.placed_by if staff else self.coordinator,
                document=document,
            )

    @rule(index=st.integers(0, 50), rounds=st.integers(1, 15))
    def push(self, index: int, rounds: int) -> None:
        """Worker and people in turn, so that orders reach the late stages and go live."""
        for _round in range(rounds):
            self.worker_step(index)
            self.complete_item(index)

    @rule(index=st.integers(0, 50), hold=st.booleans())
    def hold_or_resume(self, index: int, hold: bool) -> None:
        rollin_id = self._rollin_id(index)
        if rollin_id is None:
            return
        try:
            if hold:
                rollin_hold(rollin_id=rollin_id, actor=self.coordinator, reason="Prüfung")
            else:
                rollin_resume(rollin_id=rollin_id, actor=self.coordinator, reason="Geklärt")
        except TransitionError:
            pass

    @rule(index=st.integers(0, 50), to_coordinator=st.booleans())
    def assign(self, index: int, to_coordinator: bool) -> None:
        """A coordinator takes an order on or gives it back (its queue counts it or not)."""
        rollin_id = self._rollin_id(index)
        if rollin_id is None:
            return
        assignee = self.coordinator if to_coordinator else None
        with contextlib.suppress(TransitionError):
            rollin_assign(rollin_id=rollin_id, actor=self.coordinator, assignee=assignee)

    @rule(index=st.integers(0, 20))
    def flip_item_actor(self, index: int) -> None:
        """An operator hands a manual item of the default template from the authority to the
        coordination or back (a template edit); the admin then rebuilds the stage's figures."""
        items = ItemDefinition.objects.filter(
            stage__template=default_template(), kind=ItemDefinition.Kind.MANUAL, role=""
        ).order_by("pk")
        if not items:
            return
        item = items[index % len(items)]
        staff = item.actor == ItemDefinition.Actor.STAFF
        item.actor = ItemDefinition.Actor.COORDINATOR if staff else ItemDefinition.Actor.STAFF
        item.save()
        figures_rebuild_stage(item.stage_id)

    @rule(index=st.integers(0, 50))
    def cancel(self, index: int) -> None:
        order = self._order(index)
        if order is None:
            return
        with contextlib.suppress(TransitionError):
            order_cancel(order=order, actor=self.coordinator, reason="Doppelt bestellt")

    @rule(first=st.integers(2, 6))
    def swap_stages(self, first: int) -> None:
        """An operator reorders two stages of the default template (a template edit)."""
        template = default_template()
        a = StageDefinition.objects.get(template=template, position=first)
        b = StageDefinition.objects.get(template=template, position=first + 1)
        a.position = 99
        a.save()
        b.position, a.position = first, first + 1
        b.save()
        a.save()

    @rule(days=st.integers(1, 30))
    def edit_due_days(self, days: int) -> None:
        StageDefinition.objects.filter(template=default_template()).update(due_working_days=days)

    @rule(index=st.integers(0, 50), population=st.integers(0, 90_000), ended=st.booleans())
    def reimport(self, index: int, population: int, ended: bool) -> None:
        """A new Gebietsstand: an ordering authority's inhabitants change, or it is ended (a
        merger); the import then tells its listeners in its own transaction."""
        order = self._order(index)
        if order is None:
            return
        Authority.objects.filter(pk=order.authority_id).update(
            population=population, ended_on=datetime.date(2026, 1, 1) if ended else None
        )
        geodata_import_listeners_call(sorted(s.ags for s in self.states))

    @rule()
    def rebuild(self) -> None:
        """What a re-import runs afterwards; rebuilding correct figures changes nothing."""
        figures_rebuild(state_ids=[s.pk for s in self.states])

    @invariant()
    def maintained_equal_recomputed(self) -> None:
        state_ids = [s.pk for s in self.states]
        assert figures_maintained(state_ids) == figures_recomputed(state_ids)

    @invariant()
    def waiting_on_is_whose_turn_it_is(self) -> None:
        """The column equals the rule applied to the items, in both of its forms."""
        for rollin in Rollin.objects.select_related("stage"):
            waits = rollin.status == Rollin.Status.WAITING
            next_item = next_open_item(rollin) if waits else None
            assert rollin.waiting_on == waiting_on_for(rollin.status, next_item)
        waiting = Rollin.objects.filter(status=Rollin.Status.WAITING)
        for actor in PEOPLE:
            derived = set(waiting.filter(next_item_is_for(actor)).values_list("pk", flat=True))
            kept = set(Rollin.objects.filter(waiting_on=actor).values_list("pk", flat=True))
            assert kept == derived


def test_maintained_figures_equal_recomputed_ones_after_every_step(settings_fast: Any) -> None:
    run_state_machine_as_test(
        FiguresMachine,
        settings=hypothesis_settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


@pytest.fixture
def settings_fast(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings
