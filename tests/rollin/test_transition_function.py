"""The one transition function against the table: every status × action, through the database."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from rollin import transitions
from rollin.models import HistoryEntry, Rollin
from rollin.state import Change, TransitionError, rollin_transition
from rollin.transitions import DERIVED, RESTORE, SAME, Action
from tests.factories_rollin import RollinFactory

S = Rollin.Status


def _noop(rollin: Rollin, item: object, now: datetime.datetime) -> Change:
    return Change(history=HistoryEntry.Action.ASSIGNED)


def _expected(status: str, action: str) -> str | None:
    """The table's target resolved for a roll-in at Bestellt (its open item is manual, so the
    derived status is waiting) held from waiting."""
    target = transitions.target(status, action)
    if target == SAME:
        return status
    if target == RESTORE:
        return S.WAITING
    if target == DERIVED:
        return S.WAITING
    return target


@pytest.mark.django_db
@pytest.mark.parametrize("action", Action.ALL)
@pytest.mark.parametrize("status", S.values)
def test_every_allowed_action_moves_to_its_target_and_every_other_is_refused(
    status: str, action: str
) -> None:
    rollin = RollinFactory(status=status)
    before = rollin.history.count()
    expected = _expected(status, action)

    if expected is None:
        with pytest.raises(TransitionError):
            rollin_transition(action=action, rollin_id=rollin.pk, apply=_noop)
        rollin.refresh_from_db()
        assert rollin.status == status
        assert rollin.history.count() == before
        return

    rollin_transition(action=action, rollin_id=rollin.pk, apply=_noop)
    rollin.refresh_from_db()
    assert rollin.status == expected
    entry = rollin.history.order_by("-seq").first()
    assert entry is not None and rollin.history.count() == before + 1
    assert (entry.to_status, entry.to_stage_id) == (expected, rollin.stage_id)
    assert (rollin.status == S.ON_HOLD) == (rollin.status_before_hold != "")


@pytest.mark.django_db
def test_a_guard_refuses_even_where_the_table_allows() -> None:
    rollin = RollinFactory(status=S.WAITING)
    with pytest.raises(TransitionError, match="nein"):
        rollin_transition(
            action=Action.HOLD,
            rollin_id=rollin.pk,
            guard=lambda r, i: False,
            refusal="nein",
            apply=_noop,
        )
    rollin.refresh_from_db()
    assert rollin.status == S.WAITING


ASSIGNMENT = re.compile(r"\brollin\.status\s*=[^=]|Rollin\.objects[^\n]*\.update\([^)]*\bstatus=")


def test_rollin_status_is_assigned_in_exactly_one_function() -> None:
    root = Path(settings.BASE_DIR)
    apps = ["rollin", "orders", "dashboard", "reports", "catalog", "portal", "accounts"]
    writers = sorted(
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and ASSIGNMENT.search(path.read_text())
    )
    assert writers == ["rollin/state.py"]
    assert len(ASSIGNMENT.findall((root / "rollin/state.py").read_text())) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"status": "paused"},
        {"status": S.ON_HOLD, "status_before_hold": ""},
        {"status": S.WAITING, "status_before_hold": S.IN_PROGRESS},
        {"status": S.LIVE, "live_at": None},
    ],
    ids=["unknown status", "hold without return", "return without hold", "live without date"],
)
def test_the_database_refuses_a_status_that_breaks_an_invariant(fields: dict[str, object]) -> None:
    rollin = RollinFactory(status=S.WAITING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rollin.objects.filter(pk=rollin.pk).update(**fields)
