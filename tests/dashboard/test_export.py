"""The CSV export: the filtered list, streamed, German headings, Excel-friendly."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

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
    with django_assert_max_num_queries(8):
        response = client.get(reverse("dashboard:order_export"))
        chunks = list(response.streaming_content)
    # The header, then 30 rows in chunks of at most 7: nothing is built up in memory.
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1, 7, 7, 7, 7, 2]
