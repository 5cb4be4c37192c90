"""The portal's settings, unchanged except for the URLconf that adds the hello baseline."""

from __future__ import annotations

from digitalmarkt.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls_bench"
