"""Roll-ins changing in the background while the throughput is measured (issue 16: "measured
while a worker changes roll-ins"). A separate process holds and resumes open roll-ins of
the measured state through the real services — each change runs the transition function,
its history, figures and notifications — at a steady rate, until it is told to stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from accounts.models import Role
from benchmarks.generator import ensure_bench_user
from benchmarks.measure import probe_report
from geo.models import State
from rollin.models import Rollin
from rollin.services import TransitionError, rollin_hold, rollin_resume

POOL = 200
RATE_PER_SECOND = 10.0
READY = "ready"  # the line the churn process prints once it starts changing roll-ins
START_TIMEOUT = 120.0


def churn(
    state_ags: str, *, rate: float = RATE_PER_SECOND, ready: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Hold an open roll-in, then resume it, and so on through a pool, `rate` changes a second,
    until SIGTERM. `ready` is called once, just before the first change. Returns the changes
    made and the rate reached."""
    stop = False

    def on_term(_signum: int, _frame: Any) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    state = State.objects.get(ags=state_ags)
    actor = ensure_bench_user(Role.COORDINATOR, states=list(State.objects.all()))
    pool = list(
        Rollin.objects.filter(
            order__authority__state=state, status=Rollin.Status.IN_PROGRESS
        ).values_list("pk", flat=True)[:POOL]
    )
    changes = refused = 0
    if ready is not None:
        ready()
    started = time.monotonic()
    while not stop and pool:
        rollin_id = pool[changes % len(pool)]
        try:
            rollin_hold(rollin_id=rollin_id, actor=actor, reason="Benchmark")
            rollin_resume(rollin_id=rollin_id, actor=actor, reason="Benchmark")
            changes += 2
        except TransitionError:
            refused += 1  # someone else moved it meanwhile; the next one
            pool.remove(rollin_id)
        pause = started + changes / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    seconds = time.monotonic() - started
    return {"changes": changes, "refused": refused, "seconds": seconds, "rate": changes / seconds}


@contextmanager
def churning(command: list[str], env: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Run `manage.py bench --probe churn` for the duration of the block; its report (JSON,
    the last line it prints) lands in the yielded dict when the block ends.

    The block starts when the process says it is changing roll-ins (its READY line): its
    start-up (Django, the pool's query) falls before the measurement, however slow the
    machine, and the measurement sees changes from its first second."""
    report: dict[str, Any] = {}
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _await_ready(process)
        yield report
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        report.update(probe_report(process.returncode, out, err))


def _await_ready(process: subprocess.Popen[str]) -> None:
    """Read the process's output up to its READY line; a process that ends (or stays silent
    past START_TIMEOUT) without it leaves its error for the report."""
    assert process.stdout is not None
    timer = threading.Timer(START_TIMEOUT, process.kill)
    timer.start()
    try:
        for line in process.stdout:
            if line.strip() == READY:
                return
    finally:
        timer.cancel()
