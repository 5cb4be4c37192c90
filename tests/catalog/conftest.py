from __future__ import annotations

import pytest
from django.core.management import call_command

from catalog.models import Service
from tests.factories import StateFactory
from tests.factories_orders import offering_ensure


@pytest.fixture
def catalog(db) -> dict[str, Service]:
    """The real catalog as `make run` loads it, keyed by slug."""
    bavaria = StateFactory()
    call_command("load_catalog", stdout=None)
    services = {service.slug: service for service in Service.objects.all()}
    for service in services.values():
        offering_ensure(service, [bavaria])  # as opening Bavaria does
    return services
