from __future__ import annotations

from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Data generator and benchmark commands for national scale; no models, no routes."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
