"""The transition table: every status × action, and the guards that say who may act."""

from __future__ import annotations

import pytest

from rollin import transitions
from rollin.models import Rollin
from rollin.transitions import DERIVED, RESTORE, SAME, Action

S = Rollin.Status

EXPECTED: dict[tuple[str, str], str | None] = {}
for status in S.values:
    for action in Action.ALL:
        EXPECTED[(status, action)] = None
for status in (S.IN_PROGRESS, S.WAITING):
    EXPECTED.update(
        {
            (status, Action.ADVANCE): DERIVED,
            (status, Action.COMPLETE_ITEM): DERIVED,
            (status, Action.REJECT_ITEM): DERIVED,
            (status, Action.FAIL): S.FAILING,
            (status, Action.HOLD): S.ON_HOLD,
            (status, Action.RESUME): None,
            (status, Action.CANCEL): S.CANCELLED,
            (status, Action.ASSIGN): SAME,
            (status, Action.REMIND): SAME,
            (status, Action.FLAG_OVERDUE): SAME,
        }
    )
EXPECTED.update(
    {
        (S.IN_PROGRESS, Action.START): DERIVED,
        (S.FAILING, Action.RESUME): S.IN_PROGRESS,
        (S.FAILING, Action.HOLD): S.ON_HOLD,
        (S.FAILING, Action.CANCEL): S.CANCELLED,
        (S.FAILING, Action.ASSIGN): SAME,
        (S.FAILING, Action.FLAG_OVERDUE): SAME,
        (S.ON_HOLD, Action.RESUME): RESTORE,
        (S.ON_HOLD, Action.CANCEL): S.CANCELLED,
        (S.ON_HOLD, Action.ASSIGN): SAME,
    }
)


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED))
def test_transition_table_answers_every_status_and_action(status: str, action: str) -> None:
    expected = EXPECTED[(status, action)]
    assert transitions.target(status, action) == expected
    assert transitions.allowed(status, action) is (expected is not None)


def test_live_and_cancelled_are_final() -> None:
    for action in Action.ALL:
        assert not transitions.allowed(S.LIVE, action)
        assert not transitions.allowed(S.CANCELLED, action)


def test_table_has_no_entries_beyond_the_known_statuses_and_actions() -> None:
    assert set(transitions.TRANSITIONS) <= set(EXPECTED)
