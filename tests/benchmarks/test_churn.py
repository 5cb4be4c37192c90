"""The bench's background churn changes roll-ins through the real transitions until told to
stop, and keeps the maintained figures right while it does."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from benchmarks.churn import churn, churning
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
    holds = HistoryEntry.objects.filter(action=HistoryEntry.Action.HELD)
    readiness: list[int] = []
    try:
        report = churn("09", rate=40, ready=lambda: readiness.append(holds.count()))
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)

    assert readiness == [0]  # said once, before its first change
    assert report["changes"] >= 2 and report["changes"] % 2 == 0
    assert report["rate"] <= 45  # held to the asked rate
    held = holds.count()
    assert held * 2 == report["changes"]
    assert set(Rollin.objects.values_list("status", flat=True)) == {Rollin.Status.IN_PROGRESS}
    assert figures_maintained([state.pk]) == figures_recomputed([state.pk])


def _script(body: str) -> list[str]:
    return [sys.executable, "-c", body]


def test_churning_starts_the_block_when_the_process_is_ready(tmp_path: Path) -> None:
    """The measurement begins after the churn process's start-up, however long it takes."""
    started = tmp_path / "started"
    body = (
        "import json, pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(print(json.dumps({'changes': 4}))))\n"
        "time.sleep(0.5)\n"  # a slow start-up: longer than any fixed wait the caller might guess
        f"pathlib.Path({str(started)!r}).touch()\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    with churning(_script(body), {}) as report:
        assert started.exists()
        assert report == {}
    assert report == {"changes": 4}


def test_churning_reports_a_process_that_never_gets_ready() -> None:
    with churning(_script("import sys; sys.exit('no database')"), {}) as report:
        pass
    assert "no database" in report["error"]
