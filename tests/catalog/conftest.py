from __future__ import annotations

import pytest
from django.core.management import call_command

from catalog.models import Service
from tests.factories import StateFactory


@pytest.fixture
def catalog(db) -> dict[str, Service]:
    """The real catalog as `make run` loads it, keyed by slug."""
    StateFactory()
    call_command("load_catalog", stdout=None)
    return {service.slug: service for service in Service.objects.all()}
