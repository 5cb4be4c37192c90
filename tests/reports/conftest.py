from __future__ import annotations

import pytest

from tests import factories
from tests.factories_reports import ReportWorld, build_world


@pytest.fixture
def world(db) -> ReportWorld:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def bavaria_viewer(world):  # type: ignore[no-untyped-def]
    return factories.ViewerFactory(email="ministerium@stmd.example", states=[world.state])
