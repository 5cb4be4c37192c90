"""`make bench --sizes`: both sizes measured interleaved, each with its own cache keys."""

from __future__ import annotations

import json
import os
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from benchmarks import measure
from benchmarks.management.commands import bench
from benchmarks.measure import merge_batches
from benchmarks.sites import Site, batches, in_turn, prefixed_caches
from tests.factories_rollin import default_template


def test_runs_are_cut_into_batches_of_five():
    assert batches(40) == [5] * 8
    assert batches(7) == [5, 2]
    assert batches(1) == [1]


def test_the_sizes_take_turns_in_alternating_order():
    small, large = Site(50, "a"), Site(500, "b")
    assert in_turn([small, large], 0) == [small, large]
    assert in_turn([small, large], 1) == [large, small]


def test_merged_batches_give_the_percentiles_of_all_their_timings():
    first = {"timings_ms": [10.0, 11.0, 12.0], "queries": 5, "status": 200}
    second = {"timings_ms": [30.0, 13.0], "queries": 6, "status": 200}
    merged = merge_batches([first, second])
    assert merged["timings_ms"] == [10.0, 11.0, 12.0, 30.0, 13.0]
    assert merged["p50_ms"] == 12.0
    assert merged["p95_ms"] == 30.0
    assert merged["queries"] == 6  # as the last batch counted them
    assert merged["batches"] == 2


def test_each_size_prefixes_every_cache_and_restores_the_configured_ones(settings, monkeypatch):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": {"BACKEND": "portal.cache.ProcessMemoryCache", "KEY_PREFIX": "f"},
    }
    assert prefixed_caches("bench-50k:") == {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": "bench-50k:",
        },
        "figures": {"BACKEND": "portal.cache.ProcessMemoryCache", "KEY_PREFIX": "bench-50k:f"},
    }
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/digitalmarkt")
    name = connection.settings_dict["NAME"]
    site = Site.of_size(50_000, name)
    assert site.database_url == f"postgres://u@h:5432/{name}"

    with site.entered():
        cache.set("figures:version:status:1", 7)
        assert os.environ["DATABASE_URL"] == site.database_url
        assert connection.settings_dict["NAME"] == name
    # The same key outside the size's prefix is another entry: one size never reads the other's.
    assert cache.get("figures:version:status:1") is None
    assert os.environ["DATABASE_URL"] == "postgres://u@h:5432/digitalmarkt"
    with site.entered():
        assert cache.get("figures:version:status:1") == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("require_postgres")
def test_bench_measures_the_sizes_interleaved(small_state, monkeypatch, settings, tmp_path):
    """Both "sizes" are the test database here (creating two databases would take minutes):
    what is tested is the run over two sites, their batches in turn and the growth table."""
    default_template()
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(bench, "bench_database", lambda size: connection.settings_dict["NAME"])
    seen: list[str] = []
    measure_page = measure.measure_page

    def recording(*args, **kwargs):
        seen.append(settings.CACHES["default"].get("KEY_PREFIX", ""))
        return measure_page(*args, **kwargs)

    monkeypatch.setattr(measure, "measure_page", recording)
    keys = {"catalog_list", "csv_export"}
    out = StringIO()

    call_command(
        "bench",
        "--sizes=60,30",
        "--skip-geo",
        "--services=4",
        "--runs=6",
        "--sql-runs=1",
        "--skip-load",
        "--skip-memory",
        f"--only={','.join(keys)}",
        stdout=out,
    )

    report = json.loads(next((tmp_path / "bench").glob("2*.json")).read_text())
    assert set(report["sizes"]) == {"30", "60"}
    for run in report["sizes"].values():
        assert set(run["pages"]) == keys
        catalog = run["pages"]["catalog_list"]
        assert catalog["status"] == 200 and len(catalog["timings_ms"]) == 6
        assert catalog["batches"] == 2 and catalog["sql_ms"] > 0
        assert len(run["pages"]["csv_export"]["timings_ms"]) == 1
    # Catalog: batch one small then large, batch two large then small; the export: one each.
    catalog_batches = ["bench-30:", "bench-60:", "bench-60:", "bench-30:"]
    assert seen == [*catalog_batches, "bench-30:", "bench-60:"]
    assert {row["key"] for row in report["growth"]} == keys
    assert "Wachstum 30 → 60 Bestellungen" in out.getvalue()
    assert connection.settings_dict["NAME"] == settings.DATABASES["default"]["NAME"]
