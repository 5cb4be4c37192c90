"""Health endpoint, legal pages and cache headers of signed-in pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_ok(monkeypatch) -> None:
    # The broker is checked for real in CI (Redis); here only the worker heartbeat varies.
    monkeypatch.setattr(health, "_check_broker", lambda: {"ok": True})


@pytest.fixture(autouse=True)
def _no_heartbeat() -> None:
    from django.core.cache import cache

    cache.delete(health.HEARTBEAT_CACHE_KEY)


def test_health_is_ok_with_database_and_a_recent_worker_heartbeat(client, broker_ok) -> None:
    health.heartbeat_record()

    response = client.get(reverse("portal:health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}


def test_health_is_degraded_but_200_without_worker_heartbeat(client, broker_ok) -> None:
    response = client.get(reverse("portal:health"))

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"]["ok"] is False


def test_health_fails_with_503_when_the_broker_is_down(client, monkeypatch) -> None:
    monkeypatch.setattr(health, "_check_broker", lambda: {"ok": False, "error": "OSError"})

    response = client.get(reverse("portal:health"))

    assert response.status_code == 503
    assert response.json()["status"] == "fail"


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("portal:imprint", "Impressum"),
        ("portal:privacy", "Datenschutzerklärung"),
        ("portal:accessibility", "Erklärung zur Barrierefreiheit"),
        ("portal:terms", "Nutzungsbedingungen"),
    ],
)
def test_legal_pages_render_with_content(client, url_name, heading) -> None:
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "Destatis" in html  # the data attribution in the footer
    assert len(html) > 2000


def test_pages_of_signed_in_users_are_not_stored(client, staff) -> None:
    client.force_login(staff)

    # The home page sends signed-in users to their start page; both are never stored.
    for url in (reverse("portal:home"), reverse("start")):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert "no-store" in response["Cache-Control"], url


def test_anonymous_pages_may_be_cached(client) -> None:
    response = client.get(reverse("portal:imprint"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_help_page_names_the_configured_support_channels(client, settings) -> None:
    settings.SUPPORT_EMAIL = "hilfe@betrieb.example"
    settings.SUPPORT_PHONE = "+49 89 1234-56"
    settings.SUPPORT_HOURS = "Mo–Do 9–15 Uhr"
    page = client.get(reverse("portal:help")).content.decode()

    assert 'href="mailto:hilfe@betrieb.example"' in page
    assert 'href="tel:+49891234-56"' not in page and 'href="tel:+4989123456"' in page
    assert "Mo–Do 9–15 Uhr" in page
    assert "Hilfe zum DigitalMarkt" in page  # its own meta description


def test_every_page_links_the_help_page_in_the_footer(client) -> None:
    page = client.get(reverse("portal:home")).content.decode()
    footer = page[page.index("<footer") :]
    assert f'href="{reverse("portal:help")}"' in footer


def test_html_pages_are_compressed_for_browsers_that_accept_gzip(client) -> None:
    response = client.get(reverse("portal:help"), headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
