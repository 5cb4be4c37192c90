"""A small state for the generator: enough authorities of both levels to spread orders."""

from __future__ import annotations

import pytest

from geo.models import Authority
from tests import factories


@pytest.fixture
def small_state() -> list[Authority]:
    """One state: 40 municipal-level authorities and 3 Landratsämter."""
    district = factories.DistrictFactory()
    authorities = [factories.AuthorityFactory(district=district) for _ in range(40)]
    for ags, name in [("09273", "Kelheim"), ("09274", "Landshut"), ("09275", "Passau")]:
        other = factories.DistrictFactory(ags=ags, name=name, official_name=name)
        authorities.append(factories.LandratsamtFactory(district=other))
    return authorities
