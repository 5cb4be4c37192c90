"""A small bounded load generator for loopback: threads, plain http.client, JSON result.

    python -m benchmarks.loadgen http://127.0.0.1:8123/bench/hello/ --seconds 8 --concurrency 4

Used by `manage.py bench` when wrk is not installed. Refuses anything but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def _worker(
    host: str, port: int, path: str, headers: dict[str, str], deadline: float, out: list[float]
) -> None:
    errors = 0
    connection = http.client.HTTPConnection(host, port, timeout=60)
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=60)
        out.append(time.perf_counter() - started)
    out.append(-float(errors))  # last value: negative error count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--cookie", default="")
    args = parser.parse_args()
    parts = urlsplit(args.url)
    if parts.hostname != "127.0.0.1":
        raise SystemExit("loadgen only targets 127.0.0.1")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": args.cookie} if args.cookie else {}
    started = time.monotonic()
    deadline = started + args.seconds
    results: list[list[float]] = [[] for _ in range(args.concurrency)]
    threads = [
        threading.Thread(
            target=_worker, args=(parts.hostname, parts.port or 80, path, headers, deadline, out)
        )
        for out in results
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    timings = sorted(t for out in results for t in out[:-1])
    errors = int(-sum(out[-1] for out in results))
    p50 = timings[len(timings) // 2] * 1000 if timings else 0.0
    print(
        json.dumps(
            {
                "requests": len(timings),
                "errors": errors,
                "seconds": round(elapsed, 2),
                "rps": round(len(timings) / elapsed, 1),
                "p50_ms": round(p50, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
