"""The overview's blocks, cached per version of the figures they show (dashboard.overview_cache):
a visit while nothing changed reads no figure, every change shows at the next visit, and a
hold re-renders the totals but not the matrix, the weekly series and the pace (the suite
otherwise runs with the cache off)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboard import overview_cache
from rollin.figure_versions import STAGE, figures_versions
from rollin.models import Rollin
from rollin.services import rollin_cancel, rollin_hold
from tests import factories
from tests.factories_rollin import coordinator_for, order_with_rollin

FIGURE_TABLES = {
    "status": "rollin_statusfigure",  # totals and matrix
    "weeks": "rollin_weekfigure",
    "pace": "rollin_livedayfigure",
}


def _visit(client) -> tuple[str, set[str]]:
    """The page's main content and which blocks read their figures."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    read = {block for block, table in FIGURE_TABLES.items() if f'"{table}"' in sql}
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")], read


@pytest.fixture
def stuttgart(db):
    """An authority in a second state (Baden-Württemberg) beside the factories' Bavaria."""
    state = factories.StateFactory(ags="08", name="Baden-Württemberg")
    region = factories.RegionFactory(ags="081", name="Stuttgart", state=state)
    district = factories.DistrictFactory(ags="08111", name="Stuttgart", region=region)
    return factories.AuthorityFactory(district=district, key="08111000")


def _matrix_version(state_id: int) -> str:
    """The stage version the matrix is keyed by, once its rendering for it is cached."""
    version = figures_versions([state_id]).token(STAGE)
    key = make_template_fragment_key("overview_matrix", [version, "de"])
    assert caches["figures"].get(key) is not None, "no rendering of the matrix for it"
    return version


def _total(page: str, key: str) -> str:
    start = page.index(f'data-total="{key}">') + len(f'data-total="{key}">')
    return page[start : page.index("<", start)]


@pytest.mark.django_db
def test_a_second_visit_reads_no_figure_and_shows_the_same(client, cached) -> None:
    order = order_with_rollin()
    client.force_login(coordinator_for(order))
    first, read_first = _visit(client)
    second, read_second = _visit(client)
    assert read_first == {"status", "weeks", "pace"}
    assert read_second == set()
    assert second == first
    assert _total(first, "ordered") == "1"


@pytest.mark.django_db
def test_a_hold_shows_at_once_and_leaves_matrix_weeks_and_pace_cached(client, cached) -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    client.force_login(coordinator)
    before, _ = _visit(client)
    matrix = _matrix_version(order.authority.state_id)

    rollin_hold(rollin_id=order.rollin.pk, actor=coordinator, reason="Rückfrage")

    after, read = _visit(client)
    assert read == {"status"}  # the totals' counts
    # The order is still at its stage: the same version, and the matrix served from its block.
    assert _matrix_version(order.authority.state_id) == matrix
    assert (_total(before, "on_hold"), _total(after, "on_hold")) == ("0", "1")
    table = before.index('aria-labelledby="matrix-heading"')
    assert after[table:] == before[table:]


@pytest.mark.django_db
def test_a_new_order_and_a_cancellation_render_every_block_again(client, cached) -> None:
    order = order_with_rollin()
    coordinator = coordinator_for(order)
    client.force_login(coordinator)
    _visit(client)
    first = _matrix_version(order.authority.state_id)

    order_with_rollin(authority=order.authority)
    placed, read = _visit(client)
    assert read == {"status", "weeks", "pace"}
    second = _matrix_version(order.authority.state_id)
    assert second != first
    assert _total(placed, "ordered") == "2"

    rollin_cancel(rollin_id=order.rollin.pk, actor=coordinator, reason="Doppelt bestellt")
    cancelled, read = _visit(client)
    assert read == {"status", "weeks", "pace"}
    assert _matrix_version(order.authority.state_id) not in (first, second)
    assert _total(cancelled, "ordered") == "1"


@pytest.mark.django_db
def test_a_renamed_service_shows_at_once(client, cached) -> None:
    order = order_with_rollin()
    client.force_login(coordinator_for(order))
    _visit(client)
    order.service.name = "Umbenannte Leistung"
    order.service.save()  # the reference version moves with the save (rollin.apps)
    page, read = _visit(client)
    assert "Umbenannte Leistung" in page
    assert "status" in read


@pytest.mark.django_db
def test_each_language_gets_its_own_blocks(client, cached) -> None:
    order = order_with_rollin()
    client.force_login(coordinator_for(order))
    german, _ = _visit(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english, read = _visit(client)
    # Rendered again in English; the matrix's counts are kept per state whatever the language.
    assert read == {"weeks", "pace"}
    assert "Orders by service and stage" in english
    assert "Bestellungen nach Leistung und Stufe" in german


@pytest.mark.django_db
def test_the_overdue_count_follows_the_clock_while_nothing_changes(cached) -> None:
    order = order_with_rollin()
    today = timezone.localdate()
    due = timezone.make_aware(datetime.datetime.combine(today, datetime.time(14, 0)))
    Rollin.objects.filter(pk=order.rollin.pk).update(due_at=due, status=Rollin.Status.WAITING)
    states = [order.authority.state_id]
    version = {states[0]: "fixed.no-roll-in-changes-between-the-two-looks"}

    assert overview_cache._overdue(states, due - datetime.timedelta(hours=1), version) == 0
    assert overview_cache._overdue(states, due + datetime.timedelta(minutes=1), version) == 1


@pytest.mark.django_db
def test_after_a_change_only_that_states_figures_are_read_again(client, cached, stuttgart) -> None:
    bavaria_order = order_with_rollin()
    state = stuttgart.state
    order_with_rollin(authority=stuttgart, service=bavaria_order.service)
    coordinator = factories.CoordinatorFactory(states=[bavaria_order.authority.state, state])
    client.force_login(coordinator)
    _visit(client)

    rollin_hold(rollin_id=bavaria_order.rollin.pk, actor=coordinator, reason="Rückfrage")

    with CaptureQueriesContext(connection) as captured:
        page, _ = _visit(client)
    queries = [q["sql"] for q in captured.captured_queries]
    status_reads = [sql for sql in queries if "rollin_statusfigure" in sql]
    assert len(status_reads) == 1
    assert f"IN ({bavaria_order.authority.state_id})" in status_reads[0]
    assert (_total(page, "ordered"), _total(page, "on_hold")) == ("2", "1")
    assert (_total(page, "in_progress"), _total(page, "live")) == ("1", "0")


@pytest.mark.django_db
def test_a_coordinator_of_another_state_never_gets_these_blocks(client, cached, stuttgart) -> None:
    bavaria_order = order_with_rollin()
    state = stuttgart.state
    for other in factories.AuthorityFactory.create_batch(2, district=stuttgart.district):
        order_with_rollin(authority=other, service=bavaria_order.service)
    order_with_rollin(authority=stuttgart, service=bavaria_order.service)
    client.force_login(coordinator_for(bavaria_order))
    bavarian, _ = _visit(client)

    client.force_login(factories.CoordinatorFactory(states=[state]))
    swabian, read = _visit(client)

    assert (_total(bavarian, "ordered"), _total(swabian, "ordered")) == ("1", "3")
    assert read == {"status", "weeks", "pace"}  # nothing of the Bavarian blocks reused
