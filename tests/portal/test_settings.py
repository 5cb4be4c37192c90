"""Production settings refuse to start unsafe and pass Django's deployment check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'digitalmarkt.settings');"
    " django.setup()"
)


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(DIGITALMARKT_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "Production needs DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short"}, "Production needs DJANGO_SECRET_KEY"),
        (
            {"DJANGO_SECRET_KEY": "dev-only-insecure-key-never-use-in-production"},
            "Production needs DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}, "Production needs DJANGO_ALLOWED_HOSTS"),
    ],
    ids=["no-key", "short-key", "dev-key", "no-hosts"],
)
def test_production_refuses_to_start_without_secret_key_and_hosts(tmp_path, env, message) -> None:
    result = run(["-c", SETUP], tmp_path, DJANGO_ENV="production", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_with_proper_values_passes_the_deploy_check(tmp_path) -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="digitalmarkt.example",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_starts_with_nothing_set(tmp_path) -> None:
    result = run(["-c", SETUP + "; from django.conf import settings; print(settings.DEBUG)"],
                 tmp_path)  # fmt: skip

    assert result.returncode == 0, result.stderr


def test_empty_variables_count_as_unset(tmp_path) -> None:
    """`DATABASE_URL=` (as compose files and CI matrices write it) falls back to SQLite."""
    probe = (
        SETUP + "; from django.conf import settings;"
        " print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"
    )
    result = run(["-c", probe], tmp_path, DATABASE_URL="", CELERY_BROKER_URL=" ")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]
