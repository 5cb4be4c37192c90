from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import factories
from tests.factories_reports import ReportWorld, build_world
from tests.reports.boundaries import clear_map_caches, write_boundaries


@pytest.fixture
def boundaries(tmp_path, settings) -> Iterator[Callable[[], Path]]:
    """Point the maps at boundary files written for the areas of the test database."""

    def write() -> Path:
        settings.DIGITALMARKT_DATA_DIR = write_boundaries(tmp_path / "geodata")
        return settings.DIGITALMARKT_DATA_DIR

    yield write
    clear_map_caches()


@pytest.fixture
def world(db, boundaries) -> ReportWorld:
    built = build_world()
    boundaries()
    return built


@pytest.fixture
def bavaria_viewer(world):
    return factories.ViewerFactory(email="ministerium@stmd.example", states=[world.state])
