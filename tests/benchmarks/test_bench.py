"""The benchmark command: refuses SQLite, measures what resolves, skips what does not."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from benchmarks import pages
from benchmarks.management.commands.bench import growth_table
from benchmarks.measure import percentile
from orders.models import Order
from tests.factories_rollin import default_template

pytestmark = pytest.mark.django_db


def test_bench_refuses_to_run_without_postgres(settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip(
            "the refusal is only reachable on SQLite; on PostgreSQL "
            "test_bench_runs_end_to_end_on_postgres runs the whole command instead"
        )
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench", stdout=StringIO())


@pytest.mark.usefixtures("require_postgres")
def test_bench_measures_resolvable_pages_and_skips_missing_ones(
    small_state,
    monkeypatch,
    settings,
    tmp_path,
):
    settings.VAR_DIR = tmp_path
    call_command("generate_national", "--skip-geo", "--orders=100", stdout=StringIO())
    present = pages.PageSpec(
        key="present",
        label="Meine Bestellungen",
        url_names=["orders:order_list"],
        role="coordinator",
        sql=["SELECT COUNT(*) FROM orders_order"],
    )
    missing = pages.PageSpec(key="missing", label="Fehlt", url_names=["nope:nope"], role="viewer")
    monkeypatch.setattr(pages, "PAGES", [present, missing])
    out = StringIO()

    call_command("bench", "--runs=2", "--sql-runs=1", "--skip-load", "--skip-memory", stdout=out)

    report = json.loads(next((tmp_path / "bench").glob("2*.json")).read_text())
    result = report["pages"]["present"]
    assert result["status"] == 200
    assert result["queries"] > 0 and result["p50_ms"] > 0 and result["sql_ms"] > 0
    assert report["skipped"][0]["key"] == "missing"
    assert "übersprungen: Fehlt" in out.getvalue()
    assert report["meta"]["orders"] == 100


@override_settings(ROOT_URLCONF="benchmarks.urls_bench")
def test_hello_is_routed_only_by_the_bench_urlconf():
    assert Client().get("/bench/hello/").content == b"hello"


def test_production_urls_have_no_hello():
    assert Client().get("/bench/hello/").status_code == 404


def test_loadgen_refuses_hosts_other_than_loopback():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen", "http://example.org/", "--seconds", "0.1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "127.0.0.1" in done.stderr


def test_percentile_picks_median_and_tail():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.95) == 5.0


def test_growth_judges_pages_by_time_and_the_streamed_export_by_its_memory():
    def run(list_p95: float, export_p95: float) -> dict:
        return {
            "pages": {
                "order_list_filtered": {"label": "Liste", "p50_ms": 1.0, "p95_ms": list_p95},
                "csv_export": {"label": "CSV", "p50_ms": 1.0, "p95_ms": export_p95},
            }
        }

    rows = {
        row["key"]: row
        for row in growth_table({"50000": run(60.0, 1000.0), "500000": run(99.0, 9000.0)})
    }
    assert rows["order_list_filtered"]["flat"] is False  # 1.65 × its p95 at 50,000
    assert rows["csv_export"]["flat"] is None  # linear by nature: its target is memory
    assert rows["csv_export"]["ratio"] == 9.0


def test_page_spec_takes_the_first_url_name_that_resolves(small_state):
    call_command("generate_national", "--skip-geo", "--orders=10", stdout=StringIO())
    ctx = pages.Context(
        state=small_state[0].state,
        service=Order.objects.first().service,
        state_ids=[small_state[0].state_id],
    )
    spec = pages.PageSpec(
        key="x", label="x", url_names=["nope:nope", "orders:order_list"], role="anonymous"
    )
    assert spec.resolve_url(ctx) == reverse("orders:order_list")
    by_path = pages.PageSpec(key="y", label="y", url_names=["/bestellungen/"], role="anonymous")
    assert by_path.resolve_url(ctx) == "/bestellungen/"
    nothing = pages.PageSpec(key="z", label="z", url_names=["/gibt-es-nicht/x/"], role="viewer")
    assert nothing.resolve_url(ctx) is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("require_postgres")
def test_bench_runs_end_to_end_on_postgres(small_state, monkeypatch, settings, tmp_path):
    """`make bench` in small: it generates its own data, measures all eight pages, serves
    them with gunicorn under load and runs both memory probes, all on the test database
    (committed rows, so the second processes see them)."""
    default_template()  # an earlier transactional test may have flushed the migration's rows
    settings.VAR_DIR = tmp_path
    database = settings.DATABASES["default"]
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    url = f"postgres://{database['USER']}{password}@{host}/{database['NAME']}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DIGITALMARKT_VAR_DIR", str(tmp_path))
    out = StringIO()

    call_command(
        "bench",
        "--skip-geo",
        "--orders=60",
        "--services=4",
        "--runs=1",
        "--sql-runs=1",
        "--load-seconds=1",
        "--concurrency=2",
        stdout=out,
    )

    report = json.loads(next((tmp_path / "bench").glob("2*.json")).read_text())
    assert report["meta"]["orders"] == 60
    assert report["meta"]["generator"]["orders"] == 60
    assert report["skipped"] == []
    assert set(report["pages"]) == {spec.key for spec in pages.PAGES}
    for key, result in report["pages"].items():
        assert result["status"] == 200, key
        assert result["queries"] > 0 and result["sql_ms"] > 0, key
    throughput = report["throughput"]
    assert throughput["hello"]["rps"] > 0 and throughput["overview"]["rps"] > 0
    before, after = throughput["hello_before"]["rps"], throughput["hello_after"]["rps"]
    assert throughput["hello"]["rps"] == pytest.approx((before + after) / 2)
    assert throughput["hello"]["errors"] == 0 and throughput["overview"]["errors"] == 0
    assert throughput["signed_in_imprint"]["rps"] > 0
    assert throughput["signed_in_imprint"]["errors"] == 0
    assert report["map_cold"]["status"] == 200 and report["map_cold"]["queries"] > 0
    export, sweep = report["memory"]["export"], report["memory"]["sweep"]
    assert export["peak_mb"] > 0 and "gestreamt" in export["note"], export
    assert sweep["peak_mb"] > 0, sweep
    assert "Durchsatz" in out.getvalue()


def test_the_warm_up_keeps_the_cookies_a_browser_keeps():
    """The load then sends the session and the CSRF cookie, as a signed-in browser does."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from benchmarks.measure import warm_up

    class SetsCsrf(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Set-Cookie", "csrftoken=fresh; Path=/; SameSite=Lax")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), SetsCsrf)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        cookie = warm_up(f"http://127.0.0.1:{server.server_port}/", cookie="sessionid=abc")
    finally:
        server.shutdown()

    assert cookie == "sessionid=abc; csrftoken=fresh"
