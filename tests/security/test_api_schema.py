"""schemathesis against the open-data API: every operation of the OpenAPI schema that
drf-spectacular serves at /api/schema/, called through the WSGI app (no network), with data
in the database (tests/security/world.py) so that detail operations also find rows.

Checks: no server error, and every answer conforms to the schema (content type and body).
Examples are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.security import world as w

# status_code_conformance is left out: the schema documents only 200, while an unknown slug
# or state key answers 404 (correct, but undocumented by drf-spectacular's defaults).
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield w.build_world()
        transaction.set_rollback(True)


# Loading the schema needs no database: drf-spectacular builds it from the code.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _data_and_no_throttle(db, world, settings):
    # The anonymous API rate (600/hour) would answer 429 within one run.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    cache.clear()
    # As Django's test client does: the WSGI handler would close the test's connection after
    # each request (and with it the transaction the test runs in).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_operation(case) -> None:
    # The API answers gzip to clients that accept it (GZipMiddleware); schemathesis' WSGI
    # transport asks for it but does not decode it, so this client asks for the plain body.
    case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})


def test_the_schema_lists_the_open_data_operations(client, db) -> None:
    paths = set(client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"])
    assert paths == {
        "/api/v1/services/",
        "/api/v1/services/{slug}/",
        "/api/v1/coverage/states/",
        "/api/v1/coverage/states/{ags}/",
        "/api/v1/coverage/states/{ags}/regions/",
        "/api/v1/coverage/states/{ags}/districts/",
        "/api/v1/coverage/services/{slug}/",
        "/api/v1/coverage/federal/",
    }
