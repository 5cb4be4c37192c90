"""The federal figures equal an independent computation on the national benchmark's data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from catalog.opening import opening_territory_import
from reports.federal import federal_overview
from tests.factories_rollin import default_template
from tests.reports.test_federal_data import assert_equal_to_independent

pytestmark = pytest.mark.django_db


def test_on_the_national_benchmark_data() -> None:
    """generate_national on real reference data (Saarland and Bremen: the importer's real
    municipalities and authorities; all of Germany is `make bench`'s job)."""
    for ags in ("04", "10"):
        opening_territory_import(ags=ags)
    default_template()
    call_command(
        "generate_national",
        "--skip-geo",
        "--orders=300",
        "--services=4",
        "--seed=9",
        stdout=io.StringIO(),
    )
    overview = federal_overview()
    # The generator opens every state it writes orders for.
    assert [entry.ags for entry in overview.states if entry.is_open] == ["04", "10"]
    assert_equal_to_independent(overview)
