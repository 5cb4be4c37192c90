"""The figures' versions (rollin.figure_versions): which kinds a change moves, so that the
overview's blocks keyed by them are rendered again exactly when what they show changed."""

from __future__ import annotations

import pytest

from rollin.figure_versions import DUE, KINDS, LIFECYCLE, STAGE, STATUS, figures_versions
from rollin.figures import figures_rebuild
from rollin.services import rollin_hold, rollin_resume
from tests import factories
from tests.factories_rollin import coordinator_for, order_with_rollin, walk_to_stage


def _tokens(state_id: int) -> dict[str, str]:
    versions = figures_versions([state_id])
    return {kind: versions.token(kind) for kind in KINDS}


def _moved(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {kind for kind in KINDS if before[kind] != after[kind]}


@pytest.fixture
def placed(db):
    """An order placed through the services, its coordinator and its state's id."""
    order = order_with_rollin()
    return order, coordinator_for(order), order.authority.state_id


def test_a_hold_and_a_resume_move_the_status_only_not_the_stages_counts(placed) -> None:
    order, coordinator, state = placed
    before = _tokens(state)
    assert _tokens(state) == before  # reading draws nothing new

    rollin_hold(rollin_id=order.rollin.pk, actor=coordinator, reason="Rückfrage")
    held = _tokens(state)
    rollin_resume(rollin_id=order.rollin.pk, actor=coordinator, reason="Geklärt")

    assert _moved(before, held) == {STATUS}
    assert _moved(held, _tokens(state)) == {STATUS}


def test_a_new_stage_moves_the_stages_and_the_due_day_and_going_live_the_lifecycle(
    placed,
) -> None:
    order, coordinator, state = placed
    before = _tokens(state)
    walk_to_stage(order, "vertrag", coordinator)
    at_contract = _tokens(state)
    walk_to_stage(order, "wirkbetrieb", coordinator)

    assert _moved(before, at_contract) == {STATUS, STAGE, DUE}
    assert _moved(at_contract, _tokens(state)) == {STATUS, STAGE, DUE, LIFECYCLE}


@pytest.mark.django_db
def test_placing_an_order_moves_every_kind_of_its_state_only() -> None:
    order = order_with_rollin()
    neighbour = factories.AuthorityFactory(district=order.authority.district)
    other_state = order.authority.state_id + 1000  # no such state: its versions stay
    before, elsewhere = _tokens(order.authority.state_id), _tokens(other_state)

    order_with_rollin(authority=neighbour, service=order.service)

    assert _moved(before, _tokens(order.authority.state_id)) == set(KINDS)
    assert _tokens(other_state) == elsewhere


@pytest.mark.django_db
def test_reference_edits_and_the_rebuild_move_every_kind() -> None:
    order = order_with_rollin()
    state = order.authority.state_id
    before = _tokens(state)
    order.service.name = "Neuer Name"
    order.service.save()
    renamed = _tokens(state)
    figures_rebuild([state])

    assert _moved(before, renamed) == set(KINDS)
    assert _moved(renamed, _tokens(state)) == set(KINDS)
