"""The web process as gunicorn loads it."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def test_the_wsgi_module_freezes_what_it_loaded_for_the_garbage_collector() -> None:
    """Full collections would walk all of Django on every few report pages (the p95 spikes
    in `make bench`); frozen objects are left alone. A fresh interpreter, as gunicorn's."""
    code = "import gc, digitalmarkt.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "digitalmarkt.settings", "PATH": "/usr/bin:/bin"},
    )
    assert int(result.stdout.strip()) > 10_000
