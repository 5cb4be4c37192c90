"""The roll-in's copy of its assignee's last name, which sorts the order list by assignee:
set and cleared by the ASSIGN transition, carried along when the user's name changes,
repaired by rebuild_figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rollin.models import Rollin
from rollin.services import rollin_assign
from tests.factories import CoordinatorFactory
from tests.factories_rollin import RollinFactory, coordinator_for

pytestmark = pytest.mark.django_db


def _copy(rollin: Rollin) -> str | None:
    rollin.refresh_from_db()
    return rollin.assignee_last_name


def test_assigning_sets_the_copy_and_unassigning_clears_it() -> None:
    rollin = RollinFactory()
    coordinator = coordinator_for(rollin.order)
    coordinator.last_name = "Zierer"
    coordinator.save()

    rollin_assign(rollin_id=rollin.pk, actor=coordinator, assignee=coordinator)
    assert _copy(rollin) == "Zierer"

    rollin_assign(rollin_id=rollin.pk, actor=coordinator, assignee=None)
    assert _copy(rollin) is None


def test_a_renamed_assignee_carries_the_roll_ins_along() -> None:
    rollin = RollinFactory()
    coordinator = coordinator_for(rollin.order)
    rollin_assign(rollin_id=rollin.pk, actor=coordinator, assignee=coordinator)
    other = RollinFactory()

    coordinator.last_name = "Neubauer"
    coordinator.save()

    assert _copy(rollin) == "Neubauer"
    assert _copy(other) is None  # not theirs


def test_a_login_touches_no_roll_in() -> None:
    """A save naming its fields without the last name (the login's last_login) cannot have
    renamed the user: the roll-ins are not asked."""
    rollin = RollinFactory()
    coordinator = coordinator_for(rollin.order)
    rollin_assign(rollin_id=rollin.pk, actor=coordinator, assignee=coordinator)
    coordinator.last_login = timezone.now()

    with CaptureQueriesContext(connection) as captured:
        coordinator.save(update_fields=["last_login"])

    assert not [q for q in captured.captured_queries if "rollin_rollin" in q["sql"]]


def test_rebuild_figures_repairs_the_copy() -> None:
    assigned, unassigned = RollinFactory(), RollinFactory()
    coordinator = CoordinatorFactory(states=[assigned.order.authority.state], last_name="Abel")
    # Written around the transition, as SQL or an old COPY could.
    Rollin.objects.filter(pk=assigned.pk).update(assignee=coordinator)
    Rollin.objects.filter(pk=unassigned.pk).update(assignee_last_name="Geist")

    call_command("rebuild_figures", stdout=io.StringIO())

    assert _copy(assigned) == "Abel"
    assert _copy(unassigned) is None
