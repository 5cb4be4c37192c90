"""`make run`'s process manager (supervisord.dev.conf) starts a process again when it dies.

supervisord runs here as `make run` runs it, with the checkout's config, but on a temporary
var folder (SQLite file, file-system broker, file cache, supervisord's socket) and a free
port, without the setup steps: nothing here needs reference data, so the test needs neither
PostgreSQL nor Redis and runs everywhere, CI included.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from tests.conftest import skip_or_fail
from tests.portal.smtp import free_port
from tests.rollin.worker_harness import wait_until

ROOT = Path(__file__).resolve().parents[2]
SUPERVISORD = Path(sys.executable).with_name("supervisord")
# The settings of `make run`'s defaults: SQLite, the file-system broker, the file cache.
SERVICE_SETTINGS = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_EMAIL_BACKEND")


class Supervisor:
    def __init__(self, proc: subprocess.Popen[bytes], var_dir: Path, port: int) -> None:
        self.proc = proc
        self.var_dir = var_dir
        self.port = port

    def info(self, name: str) -> dict[str, Any]:
        # supervisor's own XML-RPC client over its unix socket, as supervisorctl talks to it;
        # a new one per call, since its connection is unusable after a failed request.
        from supervisor.xmlrpc import SupervisorTransport

        socket_url = f"unix://{self.var_dir / 'supervisor.sock'}"
        transport = SupervisorTransport(None, None, socket_url)
        rpc: Any = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)
        try:
            return dict(rpc.supervisor.getProcessInfo(name))
        except (OSError, http.client.HTTPException, xmlrpc.client.Fault):
            return {}  # supervisord not listening yet, or the program not yet known

    def running_pid(self, name: str) -> int | None:
        info = self.info(name)
        return int(info["pid"]) if info.get("statename") == "RUNNING" else None

    def health(self) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.port}/health/"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return dict(json.load(response))
        except urllib.error.HTTPError as error:  # 503 still says what failed
            return dict(json.load(error))
        except OSError:
            return {}

    def send_heartbeat_task(self) -> None:
        """Queue portal.tasks.heartbeat on the file-system broker of these processes."""
        queue = str(self.var_dir / "celery" / "queue")
        app = Celery(
            broker="filesystem://",
            broker_transport_options={
                "data_folder_in": queue,
                "data_folder_out": queue,
                "processed_folder": str(self.var_dir / "celery" / "processed"),
                "store_processed": False,
                "control_folder": str(self.var_dir / "celery" / "control"),
            },
        )
        app.send_task("portal.tasks.heartbeat")

    def heartbeat_after(self, moment: float) -> bool:
        """The worker ran a heartbeat task after `moment` (the web reports its age)."""
        worker = self.health().get("checks", {}).get("worker", {})
        age = worker.get("age_seconds")
        return age is not None and time.time() - float(age) > moment - 0.1  # age is rounded


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    if not SUPERVISORD.exists():
        skip_or_fail("needs supervisord (the supervisor package of the dev dependencies)")
    var_dir = tmp_path / "var"
    (var_dir / "celery" / "queue").mkdir(parents=True)
    (var_dir / "celery" / "processed").mkdir(parents=True)
    (var_dir / "celery" / "control").mkdir(parents=True)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_SETTINGS}
    env.pop("PYTEST_CURRENT_TEST", None)
    env.update(
        PORT=str(port),  # as `make run` sets them
        DIGITALMARKT_VAR_DIR=str(var_dir),
        ROLLIN_SIMULATOR_BASE_URL=f"http://127.0.0.1:{port}/rollin/simulator",
        DIGITALMARKT_BASE_URL=f"http://127.0.0.1:{port}",
    )
    log = (tmp_path / "supervisord.out").open("wb")
    proc = subprocess.Popen(
        [str(SUPERVISORD), "-c", str(ROOT / "supervisord.dev.conf")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the teardown reaches every child
    )
    try:
        yield Supervisor(proc, var_dir, port)
    finally:
        # SIGTERM, as Ctrl-C would: supervisord stops its programs and exits.
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()
        print("--- supervisord and its programs, last lines ---")
        output = (tmp_path / "supervisord.out").read_text(errors="replace")
        print("\n".join(output.splitlines()[-60:]))
        shutil.rmtree(var_dir, ignore_errors=True)


def test_a_killed_worker_is_started_again_and_web_and_beat_keep_running(
    supervisor: Supervisor,
) -> None:
    wait_until(
        lambda: (
            all(supervisor.running_pid(name) for name in ("web", "worker", "beat"))
            and supervisor.health().get("checks", {}).get("database", {}).get("ok") is True
        ),
        timeout=120,
        what="web, worker and beat to run and the web to answer",
    )
    web, worker, beat = (supervisor.running_pid(name) for name in ("web", "worker", "beat"))

    assert worker is not None
    os.kill(worker, signal.SIGKILL)  # the main process, no cleanup
    killed_at = time.time()

    wait_until(
        lambda: supervisor.running_pid("worker") not in (None, worker),
        timeout=60,
        what="supervisord to start a new worker",
    )
    # The new worker serves: it runs a task queued after the old one died.
    supervisor.send_heartbeat_task()
    wait_until(
        lambda: supervisor.heartbeat_after(killed_at),
        timeout=90,
        what="the new worker to run a heartbeat task",
    )
    assert supervisor.proc.poll() is None, "supervisord itself must keep running"
    assert supervisor.running_pid("web") == web and supervisor.running_pid("beat") == beat
    assert supervisor.health()["checks"]["database"]["ok"] is True  # the web still serves
