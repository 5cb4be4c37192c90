"""Shared fixtures, and the rule for tests that need real services.

A test that needs PostgreSQL, Redis or Chromium is skipped, with the reason printed, only
where that service is absent. CI sets DIGITALMARKT_REQUIRE_SERVICES=1, which turns such a
skip into a failure, so there every such test really runs.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest
from django.conf import settings
from django.utils import translation

from portal.broker import broker_folders_ensure
from tests import factories


def skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get("DIGITALMARKT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def redis_broker_url() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else None


CHROMIUM_PATH = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_outbox: e-mails go to the broker for a real worker, not sent in-process"
    )


@pytest.fixture(autouse=True)
def _outbox_sent_in_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After commit, send each outbox e-mail in this process (through the same claim → send →
    record as the worker) instead of enqueuing it: tests about what an e-mail says then find
    it in `mailoutbox`. The outbox's own tests, marked real_outbox, use the broker and worker."""
    if request.node.get_closest_marker("real_outbox"):
        return
    from portal import services

    monkeypatch.setattr(
        services, "_email_publish", lambda email_id: services.email_deliver(email_id=email_id)
    )


@pytest.fixture(autouse=True, scope="session")
def _broker_folders() -> None:
    """What `make run`'s setup does first: without CELERY_BROKER_URL a test that publishes
    (e.g. a campaign's batch) goes through the filesystem broker, whose folders a fresh clone
    lacks; the tests must not depend on one that created them running earlier."""
    broker_folders_ensure()


@pytest.fixture
def require_postgres() -> None:
    if not using_postgres():
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def require_redis() -> str:
    url = redis_broker_url()
    if url is None:
        skip_or_fail("needs Redis: set CELERY_BROKER_URL=redis://…")
    return url


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _german_by_default():
    # A test request in English (LocaleMiddleware, set_language) leaves English active in the
    # thread, so later tests would get English messages from the service layer.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rolled-back tests hand out the same user ids again: a count cached per user id by an
    # earlier test (portal.selectors) must not be read by the next one.
    from django.core.cache import cache, caches

    cache.clear()
    caches["layout"].clear()  # a test may route other URLs (override_settings) or roles
    caches["figures"].clear()
    caches["users"].clear()
    caches["choices"].clear()


@pytest.fixture
def bavaria():
    return factories.StateFactory()


@pytest.fixture
def staff(db):
    return factories.StaffFactory()


@pytest.fixture
def coordinator(db):
    return factories.CoordinatorFactory()


@pytest.fixture
def viewer(db):
    return factories.ViewerFactory()


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def cached(settings):
    """The figures cache on (the suite runs with it off): overview and map are rendered once
    per roll-in data version."""
    from django.core.cache import cache, caches

    settings.ROLLIN_FIGURES_CACHE_SECONDS = 60
    cache.clear()
    caches["figures"].clear()
    yield
    cache.clear()
    caches["figures"].clear()


@pytest.fixture
def stage_template(db) -> None:
    """The default stage template: the migration's rows, re-created after a flush."""
    from tests.factories_rollin import default_template

    default_template()
