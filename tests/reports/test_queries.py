"""Each report page runs a fixed number of queries, however many authorities and orders.

The same maximum holds for the small world and for one with 60 more authorities (40 more
orders): the figures are aggregated in the database, never fetched row by row.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.factories_reports import build_world

pytestmark = pytest.mark.django_db

# (url, maximum). For ministry viewers 5 of them are the session, the user, the notification
# badge of the header and the session's save; the report's own reads are the rest. Issue 14
# added, fixed per page: the responsibility table's exceptions (one), the trend's exceptions
# and ended authorities (two), the district's exceptions and municipalities (two) and the
# Gebietsstand the page states (one). The PDF reads the live history for its charts beside
# the page's live counts at the two window starts (two more: that history's exceptions).
VIEWER_PAGES = {
    "state overview": (lambda: reverse("reports:state_report", args=["09"]), 18),
    "state overview PDF": (lambda: reverse("reports:state_report_pdf", args=["09"]), 19),
    "service report": (
        lambda: reverse("reports:service_report", args=["09", "ewohnsitz"]) + "?sort=-live",
        18,
    ),
    "service report CSV": (
        lambda: (
            reverse("reports:service_report", args=["09", "ewohnsitz"]) + "?format=csv&table=kreise"
        ),
        16,
    ),
    "map page": (
        lambda: reverse("reports:map_report", args=["09"]) + "?service=fuehrerschein",
        14,
    ),
    "district drill-down": (lambda: reverse("reports:district_report", args=["09273"]), 19),
    "district drill-down XLSX": (
        lambda: reverse("reports:district_report", args=["09273"]) + "?format=xlsx&table=gemeinden",
        17,
    ),
}
# Anonymous: no session, no user.
PUBLIC_PAGES = {
    "public summary": (lambda: reverse("reports:public_summary") + "?service=ewohnsitz", 12),
    "API states": (lambda: reverse("api-coverage-state-list"), 8),
    "API one state": (lambda: reverse("api-coverage-state-detail", args=["09"]), 8),
    "API regions": (lambda: reverse("api-coverage-region-list", args=["09"]), 8),
    "API districts": (lambda: reverse("api-coverage-district-list", args=["09"]), 8),
    "API service": (lambda: reverse("api-coverage-service-detail", args=["ewohnsitz"]), 8),
}


@pytest.fixture(params=[0, 60], ids=["small", "larger"])
def sized_world(request, db):
    return build_world(extra_municipal_authorities=request.param)


@pytest.mark.parametrize("page", list(VIEWER_PAGES))
def test_report_pages_run_a_fixed_number_of_queries(
    client, sized_world, page, django_assert_max_num_queries
) -> None:
    url, maximum = VIEWER_PAGES[page]
    viewer = factories.ViewerFactory(email="ministerium@stmd.example", states=[sized_world.state])
    client.force_login(viewer)
    with django_assert_max_num_queries(maximum):
        assert client.get(url()).status_code == 200


@pytest.mark.parametrize("page", list(PUBLIC_PAGES))
def test_public_pages_and_api_run_a_fixed_number_of_queries(
    client, sized_world, page, django_assert_max_num_queries
) -> None:
    url, maximum = PUBLIC_PAGES[page]
    with django_assert_max_num_queries(maximum):
        assert client.get(url()).status_code == 200
