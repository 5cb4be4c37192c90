"""With the roll-in demo (orders walked through the real services), the overview's figures
equal an independent count over the rows: once with more orders on a small world, once with
exactly what `make run` loads (setup_portal: reference data, catalog, demo users, demo orders)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from orders.models import Order
from tests import factories
from tests.dashboard.test_overview import _expected
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template
from tests.geo import geodata_files

pytestmark = pytest.mark.django_db


def test_overview_matches_the_demo_data(client, world) -> None:
    default_template()
    ServiceFactory(slug="wohnsitz", name="Wohnsitzanmeldung")
    for n in range(30):
        district = (world.kelheim, world.regen, world.muenchen_land)[n % 3]
        factories.AuthorityFactory(district=district, key=f"{district.ags}{n + 200:03d}")
    call_command("demo_rollin", orders=24, seed=7, stdout=io.StringIO())
    orders = list(Order.objects.filter(authority__state=world.bavaria))
    assert len(orders) >= 20
    client.force_login(world.coordinator)
    context = client.get(reverse("dashboard:overview")).context
    overview, weeks = context["overview"], context["weeks"]
    matrix, totals = _expected(orders)
    for key, value in totals.items():
        assert overview.totals[key] == value, key
    assert totals["live"] > 0 and totals["in_progress"] > 0  # the demo spreads the stages
    shown = {
        (service.slug, stage.code): count
        for service, counts, _total in overview.rows
        for stage, count in zip(overview.stages, counts, strict=True)
        if count
    }
    assert shown == dict(matrix)
    first = timezone.make_aware(datetime.datetime.combine(weeks[0].start, datetime.time.min))
    assert sum(week.placed for week in weeks) == sum(1 for o in orders if o.created_at >= first)
    live_at = [o.rollin.live_at for o in orders if o.rollin.live_at]
    assert sum(week.live for week in weeks) == sum(1 for t in live_at if t >= first)


def _shown(overview) -> dict[tuple[str, str], int]:
    return {
        (service.slug, stage.code): count
        for service, counts, _total in overview.rows
        for stage, count in zip(overview.stages, counts, strict=True)
        if count
    }


def test_overview_matches_what_make_run_loads(client, settings, tmp_path) -> None:
    # The six pilot authorities and their neighbours, from real Destatis rows.
    settings.DIGITALMARKT_DATA_DIR = geodata_files.write_csv(tmp_path / "de")
    settings.DIGITALMARKT_IMPORT_STATES = ["09"]
    default_template()
    call_command("setup_portal", stdout=io.StringIO())  # exactly the `make run` setup step

    orders = list(Order.objects.select_related("service"))
    assert len(orders) >= 20  # every pilot runs every service of its level
    client.force_login(User.objects.get(email="koordination@demo.digitalmarkt.example"))
    response = client.get(reverse("dashboard:overview"))
    overview = response.context["overview"]

    matrix, totals = _expected(orders)
    assert totals["ordered"] == len(orders)  # the demo cancels nothing
    for key, value in totals.items():
        assert overview.totals[key] == value, key
        assert f'data-total="{key}">{value}<' in response.content.decode()
    assert _shown(overview) == dict(matrix)
