"""Start and stop a real Celery worker subprocess against the test database and Redis.

Test modules that need workers import the `worker_env` and `workers` fixtures from here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
WORKER_LOGS: dict[int, Path] = {}  # worker pid → its log file


def database_url() -> str:
    """The pytest-django test database, so the worker sees what the test writes."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def start_worker(
    broker_url: str, *, name: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_CONN_MAX_AGE": "0",
        **(extra_env or {}),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    # The worker's own log, shown by the `workers` fixture when a test fails: without it a
    # timeout says only that nothing happened, not why.
    with tempfile.NamedTemporaryFile(prefix=f"worker-{name}-", suffix=".log", delete=False) as log:
        proc = subprocess.Popen(
            [
                CELERY,
                "-A",
                "digitalmarkt",
                "worker",
                "--pool=prefork",
                "-c",
                "2",
                "--loglevel=INFO",  # tasks received and done: what a timeout needs explained
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a SIGKILL reaches the pool children
        )
    WORKER_LOGS[proc.pid] = Path(log.name)
    return proc


def worker_log_discard(proc: subprocess.Popen[bytes], lines: int = 40) -> str:
    """The last lines of a stopped worker's log; the file is removed."""
    log = WORKER_LOGS.pop(proc.pid, None)
    if log is None:
        return ""
    text = "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    log.unlink(missing_ok=True)
    return text


def kill_worker(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its pool children at once: nothing gets to clean up."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            kill_worker(proc)


def wait_until(
    predicate: Callable[[], bool],
    *,
    timeout: float,
    tick: Callable[[], None] | None = None,
    what: str = "",
) -> None:
    """Poll a condition (the database) until it holds; `tick` runs between polls (e.g. sweep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if tick is not None:
            tick()
        time.sleep(0.2)  # polling interval, not synchronisation: the predicate decides
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def worker_env(require_postgres, require_redis, live_server, settings) -> Iterator[dict[str, str]]:
    """Settings for worker subprocesses: the Redis broker, HTTP to the live server's simulator.

    Claims and retries are short so that a killed worker's claim expires within a test.
    """
    from digitalmarkt.celery import app as celery_app

    settings.CELERY_BROKER_URL = require_redis
    # celery-types declare broker_url read-only; Celery's conf accepts assignment.
    celery_app.conf.broker_url = require_redis  # type: ignore[misc]
    celery_app.control.purge()
    settings.ROLLIN_CLAIM_SECONDS = 3
    settings.ROLLIN_STUCK_SECONDS = 5
    yield {
        "ROLLIN_SIMULATOR_BASE_URL": f"{live_server.url}/rollin/simulator",
        "ROLLIN_CONNECTOR": "http",
        "ROLLIN_CONNECTOR_TIMEOUT": "10",
        "ROLLIN_CLAIM_SECONDS": "3",
        "ROLLIN_RETRY_BASE_SECONDS": "0.5",
    }
    celery_app.control.purge()


@pytest.fixture
def workers(worker_env) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Workers the test starts; each is stopped afterwards, whatever happened."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        stop_worker(proc)
        # Captured output: pytest shows it only for a failed test.
        print(f"--- worker {proc.pid} (exit {proc.returncode}), last lines ---")
        print(worker_log_discard(proc))
