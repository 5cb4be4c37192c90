"""Reports carry no personal data: no names, e-mails or phone numbers of staff or contacts,
and the public summary and API no order details — on every page and in every file."""

from __future__ import annotations

import base64
import io
import re
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, User
from orders.models import Order
from rollin.models import HistoryEntry, Rollin
from tests.factories_reports import SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db

STAFF_FIRST, STAFF_LAST = "Waltraud", "Sachbearbeiterin-Geheim"
COORDINATOR_EMAIL = "koordinatorin.geheim@akdb.example"


def _people_everywhere(world) -> list[str]:
    """Give the placing staff a name and every roll-in an assignee and actor with one."""
    User.objects.filter(pk=world.placer.pk).update(first_name=STAFF_FIRST, last_name=STAFF_LAST)
    coordinator = User.objects.create(
        email=COORDINATOR_EMAIL,
        role=Role.COORDINATOR,
        first_name="Kordula",
        last_name="Koordinatorin-Geheim",
        phone="089 555 1234",
    )
    Rollin.objects.update(assignee=coordinator)
    HistoryEntry.objects.update(actor=coordinator)
    return [
        SECRET_EMAIL,
        SECRET_NAME,
        SECRET_PHONE,
        world.placer.email,
        STAFF_LAST,
        COORDINATOR_EMAIL,
        "Koordinatorin-Geheim",
        "089 555 1234",
    ]


def _body(response) -> str:
    content = response.content
    if response["Content-Type"].startswith("application/vnd.openxml"):
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    if response["Content-Type"] == "application/pdf":
        streams = re.findall(rb"stream\r?\n(.*?)endstream", content, flags=re.S)
        decoded = [
            zlib.decompress(base64.a85decode(s.strip()[:-2])) if s.strip().endswith(b"~>") else s
            for s in streams
        ]
        return b"\n".join([content, *decoded]).decode("latin-1")
    return content.decode("utf-8-sig")


def _viewer_urls() -> list[str]:
    service = reverse("reports:service_report", args=["09", "ewohnsitz"])
    district = reverse("reports:district_report", args=["09273"])
    urls = [
        reverse("reports:state_report", args=["09"]),
        reverse("reports:state_report", args=["09"]) + "?format=csv",
        reverse("reports:state_report", args=["09"]) + "?format=xlsx",
        reverse("reports:state_report_pdf", args=["09"]),
        service,
        reverse("reports:map_report", args=["09"]) + "?service=fuehrerschein",
    ]
    for table in ("kreise", "regierungsbezirke", "verlauf"):
        urls += [f"{service}?format=csv&table={table}", f"{service}?format=xlsx&table={table}"]
    for slug in ("ewohnsitz", "fuehrerschein"):
        urls.append(f"{district}?service={slug}")
        for table in ("leistungen", "behoerden", "gemeinden"):
            urls += [
                f"{district}?service={slug}&format=csv&table={table}",
                f"{district}?service={slug}&format=xlsx&table={table}",
            ]
    return urls


def _public_urls() -> list[str]:
    summary = reverse("reports:public_summary")
    return [
        summary,
        f"{summary}?land=08",
        f"{summary}?service=fuehrerschein&format=csv&table=kreise",
        f"{summary}?format=xlsx&table=leistungen",
        reverse("api-coverage-state-list"),
        reverse("api-coverage-state-detail", args=["09"]),
        reverse("api-coverage-region-list", args=["09"]),
        reverse("api-coverage-district-list", args=["09"]),
        reverse("api-coverage-service-detail", args=["ewohnsitz"]),
    ]


def test_ministry_viewer_sees_no_personal_data(client, world, bavaria_viewer) -> None:
    secrets = _people_everywhere(world)
    client.force_login(bavaria_viewer)
    for url in _viewer_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_public_summary_and_api_show_no_people_and_no_order_details(client, world) -> None:
    secrets = _people_everywhere(world)
    numbers = list(Order.objects.values_list("number", flat=True))
    stages = ["Anbindung", "Konfiguration", "Kick-off", "Vertrag"]
    assert numbers
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response)
        for secret in [*secrets, *numbers]:
            assert secret not in body, (url, secret)
        # Not even which authority is at which roll-in stage.
        for stage in stages:
            assert stage not in body, (url, stage)
        assert "Stadt Abensberg" not in body  # no authority-level detail at all
