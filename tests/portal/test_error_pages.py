"""403, 404 and 500 are pages of the portal: its layout, what happened, and a way back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, loader
from django.template.backends.django import Template as BackendTemplate
from django.test import RequestFactory
from django.views.defaults import permission_denied

pytestmark = pytest.mark.django_db


def test_not_found_page_is_in_the_layout_with_a_way_back(client) -> None:
    response = client.get("/diese-seite-gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert 'href="/"' in html and "Zur Startseite" in html
    assert 'class="dm-header"' in html and 'class="dm-footer"' in html


def test_forbidden_page_is_in_the_layout_with_a_way_back(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/koordination/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Zugriff verweigert</h1>" in html
    assert "Zur Startseite" in html and "Anmelden" in html


def test_server_error_page_renders_without_a_request() -> None:
    # Django renders 500.html with an empty context: no request, no user, no context processors.
    template = loader.get_template("500.html")
    assert isinstance(template, BackendTemplate)  # the Django engine's wrapper
    html = template.template.render(Context({}))

    assert "<h1>Ein Fehler ist aufgetreten</h1>" in html
    assert 'href="/"' in html
    assert 'action="/i18n/setlang/"' not in html
