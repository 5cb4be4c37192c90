"""Issue 12, item 2: every number an SVG carries parses as a number, in German and English.

Renders every page that draws an SVG and reads each numeric attribute the way a browser
would: a decimal comma ("54,2") or a grouped thousand ("1.234") in a coordinate fails here,
as it failed in the browser (markers in the corner, collapsed labels and target line).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

SINGLE = {"x", "y", "cx", "cy", "r", "x1", "x2", "y1", "y2", "width", "height"}
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
PAIR = re.compile(rf"{NUMBER},{NUMBER}")


class _SvgAttributes(HTMLParser):
    """(tag, attribute, value) of every numeric attribute inside an <svg>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.depth += 1
        if self.depth:
            for name, value in attrs:
                if name in SINGLE | {"viewbox", "points", "d", "transform"}:
                    self.found.append((tag, name, value or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.depth -= 1


def _assert_numeric(tag: str, name: str, value: str) -> None:
    where = f"<{tag} {name}={value[:60]!r}>"
    if name in SINGLE:
        assert re.fullmatch(NUMBER, value), where
    elif name == "viewbox":
        parts = value.split()
        assert len(parts) == 4 and all(re.fullmatch(NUMBER, p) for p in parts), where
    elif name == "points":
        # "x,y x,y …": a decimal comma would turn a pair into three or four numbers.
        assert value.split() and all(PAIR.fullmatch(p) for p in value.split()), where
    elif name == "d":
        # Our paths are "M x,y x,y … Z" per ring.
        for ring in re.findall(r"M([^MZ]*)Z", value):
            assert all(PAIR.fullmatch(p) for p in ring.split()), where
        assert re.fullmatch(r"(M[^MZ]*Z)+", value), where
    elif name == "transform":
        for args in re.findall(r"\w+\(([^)]*)\)", value):
            assert all(re.fullmatch(NUMBER, a) for a in re.split(r"[\s,]+", args.strip())), where


def _svg_attributes(html: str) -> list[tuple[str, str, str]]:
    parser = _SvgAttributes()
    parser.feed(html)
    return parser.found


def _pages(world, bavaria_viewer, client) -> list[tuple[object, str, int]]:
    """(user, url, minimum number of numeric SVG attributes expected) of every SVG page."""
    coordinator = factories.CoordinatorFactory(email="k@example.org", states=[world.state])
    service = world.municipal_service.slug
    return [
        (coordinator, reverse("dashboard:overview"), 100),
        (bavaria_viewer, reverse("reports:state_report", args=["09"]), 0),
        (bavaria_viewer, reverse("reports:service_report", args=["09", service]), 30),
        (bavaria_viewer, reverse("reports:map_report", args=["09"]) + f"?service={service}", 5),
        (bavaria_viewer, reverse("reports:district_report", args=["09273"]), 5),
        (None, reverse("reports:public_summary") + f"?service={service}", 5),
    ]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_svg_number_parses_as_a_number(client, world, bavaria_viewer, language) -> None:
    for user, url, minimum in _pages(world, bavaria_viewer, client):
        client.logout()
        if user is not None:
            client.force_login(user)
        with translation.override(language):
            response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'lang="{language}"' in html, url
        found = _svg_attributes(html)
        assert len(found) >= minimum, (url, len(found))
        for tag, name, value in found:
            _assert_numeric(tag, name, value)
        if "/leistung/" in url:  # the projection is drawn, and said in words
            assert 'data-testid="projection-line"' in html
            words = {"de": "Gepunktet: Fortschreibung", "en": "Dotted: projection"}
            assert words[language] in html
