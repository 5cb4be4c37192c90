"""The bench's background churn changes roll-ins through the real transitions until told to
stop, and keeps the maintained figures right while it does."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from benchmarks.churn import churn
from rollin.figures import figures_maintained, figures_recomputed
from rollin.models import HistoryEntry, Rollin
from tests import factories
from tests.factories_rollin import RollinFactory

pytestmark = pytest.mark.django_db


def test_churn_holds_and_resumes_until_sigterm() -> None:
    state = factories.StateFactory(ags="09", name="Bayern")
    district = factories.DistrictFactory(state=state)
    for n in range(3):
        RollinFactory(
            status=Rollin.Status.IN_PROGRESS,
            order__authority=factories.AuthorityFactory(district=district, key=f"0918800{n}"),
        )
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM))
    previous = signal.getsignal(signal.SIGTERM)
    timer.start()
    try:
        report = churn("09", rate=40)
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)

    assert report["changes"] >= 2 and report["changes"] % 2 == 0
    assert report["rate"] <= 45  # held to the asked rate
    held = HistoryEntry.objects.filter(action=HistoryEntry.Action.HELD).count()
    assert held * 2 == report["changes"]
    assert set(Rollin.objects.values_list("status", flat=True)) == {Rollin.Status.IN_PROGRESS}
    assert figures_maintained([state.pk]) == figures_recomputed([state.pk])
