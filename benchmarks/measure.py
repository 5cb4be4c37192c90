"""Measurements: page latency and queries, raw SQL time, throughput, peak memory."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PYTHON = sys.executable
BIN = Path(sys.executable).parent
MANAGE = str(settings.BASE_DIR / "manage.py")
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def consume(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_page(client: Client, url: str, runs: int, *, warmup: bool = True) -> dict[str, Any]:
    """One warm-up, then `runs` timed requests; queries counted on the last one."""
    if warmup:
        consume(client.get(url))
    timings = []
    queries = statements_total = 0
    slowest: dict[str, str] = {"sql": "", "time": "0"}
    status = 0
    size = 0
    for run in range(runs):
        last = run == runs - 1
        capture = CaptureQueriesContext(connection) if last else contextlib.nullcontext()
        with capture as captured:
            started = time.perf_counter()
            response = client.get(url)
            size = consume(response)  # streamed bodies run their queries while iterated
            timings.append(time.perf_counter() - started)
        status = response.status_code
        if last:
            assert isinstance(captured, CaptureQueriesContext)  # the last run captures
            statements = captured.captured_queries
            # Transaction control (the session's save wraps its UPDATE) is not a query.
            queries = sum(1 for q in statements if not TRANSACTION_CONTROL.match(q["sql"]))
            statements_total = len(statements)
            slowest = max(
                (q for q in statements if not TRANSACTION_CONTROL.match(q["sql"])),
                key=lambda q: float(q["time"]),
                default={"sql": "", "time": "0"},
            )
    return {
        "slowest_sql": slowest["sql"],
        "slowest_ms": float(slowest["time"]) * 1000,
        "url": url,
        "status": status,
        "bytes": size,
        "p50_ms": percentile(timings, 0.5) * 1000,
        "p95_ms": percentile(timings, 0.95) * 1000,
        "timings_ms": [t * 1000 for t in timings],
        "queries": queries,
        "statements": statements_total,
    }


def merge_batches(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One page's result from batches of it measured at different moments: p50 and p95 of all
    their timings; status, size and queries as the last batch saw them."""
    timings = [t for part in parts for t in part["timings_ms"]]
    return {
        **parts[-1],
        "timings_ms": timings,
        "p50_ms": percentile(timings, 0.5),
        "p95_ms": percentile(timings, 0.95),
        "batches": len(parts),
    }


def measure_sql(
    statements: Sequence[str], params: dict[str, Any], runs: int, *, streamed: bool = False
) -> float:
    """Median seconds to run all statements and fetch every row.

    A plain cursor, like the pages' aggregates: PostgreSQL plans a server-side cursor for the
    first rows (cursor_tuple_fraction), often a nested loop over every order, which would make
    the "floor" slower than the page. Only a streamed export reads through a server-side
    cursor, as the export itself does.
    """
    if not statements:
        return 0.0
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        for sql in statements:
            cursor_of = connection.chunked_cursor if streamed else connection.cursor
            with cursor_of() as cursor:
                cursor.execute(sql, params)
                while cursor.fetchmany(5000):
                    pass
        timings.append(time.perf_counter() - started)
    return percentile(timings[1:], 0.5)  # first run warms the cache


def explain(sql: str, params: dict[str, Any]) -> str:
    # Server-side cursors show up as DECLARE …; explain the query they wrap.
    sql = re.sub(r"^DECLARE .*? CURSOR (WITH(OUT)? HOLD )?FOR ", "", sql, flags=re.S)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def vm_hwm_mb(pid: int | str = "self") -> float:
    """Peak resident set size (VmHWM) of a process, in MB."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


def run_probe(kind: str, extra_env: dict[str, str], timeout: int) -> dict[str, Any]:
    """Run `manage.py bench --probe <kind>` in a fresh process; it prints JSON last."""
    env = {**os.environ, "DJANGO_DEBUG": "0", **extra_env}
    try:
        done = subprocess.run(
            [PYTHON, MANAGE, "bench", "--probe", kind],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"Zeitlimit {timeout} s überschritten"}
    return probe_report(done.returncode, done.stdout, done.stderr)


def probe_report(returncode: int, stdout: str, stderr: str) -> dict[str, Any]:
    """A probe's report: the JSON it printed last, or the end of what went wrong."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if returncode != 0 or not lines:
        return {"error": (stderr or stdout).strip()[-600:]}
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def gunicorn(workers: int = 2) -> Iterator[str]:
    """Serve the portal plus /bench/hello/ on loopback with the bench settings module."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_bench",
        "DJANGO_DEBUG": "0",
    }
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "digitalmarkt.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/bench/hello/", timeout=30) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    err = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"gunicorn startet nicht: {err[-500:]}") from None
                time.sleep(0.3)  # polling for the port to open; nothing to wait on instead
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def warm_up(url: str, *, cookie: str = "") -> str:
    """One GET that fills caches before a timed load, as a warm-up run does. Returns the Cookie
    header a browser sends from then on: the given cookies and those the response set. A
    signed-in page sets the CSRF cookie (its header holds the sign-out form), and a browser
    keeps it; a client that drops it has every response mint a new CSRF secret and send it
    again, work no browser causes."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
        jar = SimpleCookie(cookie)
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def load(url: str, *, seconds: int, concurrency: int, cookie: str = "") -> dict[str, Any]:
    """Requests per second from a second process: wrk if installed, else our Python loader."""
    wrk = shutil.which("wrk")
    if wrk:
        command = [wrk, "-t2", f"-c{concurrency}", f"-d{seconds}s", url]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        out = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=False
        ).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        return {
            "tool": "wrk",
            "rps": float(rps.group(1)) if rps else 0.0,
            "errors": int(bad.group(1)) if bad else 0,
        }
    command = [PYTHON, "-m", "benchmarks.loadgen", url, "--seconds", str(seconds)]
    command += ["--concurrency", str(concurrency), "--cookie", cookie]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
        cwd=settings.BASE_DIR,
    )
    if done.returncode != 0:
        return {"tool": "python", "rps": 0.0, "errors": -1, "error": done.stderr[-400:]}
    return {"tool": "python", **json.loads(done.stdout)}
