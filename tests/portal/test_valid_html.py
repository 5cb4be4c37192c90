"""Every page the page walk finds, for every role, is valid where browsers and assistive
technology rely on it: unique ids (labels, aria-describedby and skip links point at one
element), machine-readable <time datetime>, one meta description, and one navigation entry
marked as the current page."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from benchmarks.pagewalk import candidate_pages
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

ROLES = ["anon", "staff_a", "coord_by", "viewer_by", "admin"]

# The HTML standard's date and time microsyntaxes that <time datetime> accepts: month, date,
# yearless date, time, local and global date and time (fractions of at most three digits),
# year, week, and durations.
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"
_ZONE = r"(Z|[+-]\d{2}:?\d{2})"
VALID_DATETIME = re.compile(
    rf"^(\d{{4,}}-\d{{2}}(-\d{{2}})?|\d{{2}}-\d{{2}}|{_TIME}|{_ZONE}"
    rf"|\d{{4,}}-\d{{2}}-\d{{2}}[T ]{_TIME}{_ZONE}?|\d{{4,}}|\d{{4,}}-W\d{{2}}"
    r"|P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?)$"
)


class PageChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.bad_times: list[str] = []
        self.descriptions: list[str] = []
        self.current_in_servicenav = 0
        self._servicenav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[str(attributes["id"])] += 1
        if tag == "time":
            value = attributes.get("datetime")
            if value is None or not VALID_DATETIME.match(value):
                self.bad_times.append(str(value))
        if tag == "meta" and attributes.get("name") == "description":
            self.descriptions.append(str(attributes.get("content") or ""))
        if tag == "nav" and "dm-servicenav" in (attributes.get("class") or ""):
            self._servicenav_depth = 1
        elif tag == "nav" and self._servicenav_depth:
            self._servicenav_depth += 1
        if self._servicenav_depth and attributes.get("aria-current") == "page":
            self.current_in_servicenav += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._servicenav_depth:
            self._servicenav_depth -= 1

    def problems(self) -> list[str]:
        found = [f"duplicate id {i!r} ({n}×)" for i, n in self.ids.items() if n > 1]
        found += [f"invalid <time datetime={value!r}>" for value in self.bad_times]
        if len(self.descriptions) != 1 or not self.descriptions[0].strip():
            found.append(f"meta description: {self.descriptions!r}")
        if self.current_in_servicenav > 1:
            found.append(f"{self.current_in_servicenav} navigation entries marked current")
        return found


def test_the_checker_sees_what_it_looks_for() -> None:
    checker = PageChecker()
    checker.feed(
        '<meta name="description" content="x"><p id="a"></p><p id="a"></p>'
        '<time datetime="2026-12-03T08:00:00.123456+01:00">x</time>'
        '<time datetime="2026-12-03T08:00:00+0100">ok</time><time datetime="2026-12-03">ok</time>'
        '<nav class="dm-servicenav"><a aria-current="page"></a><a aria-current="page"></a></nav>'
    )
    assert checker.problems() == [
        "duplicate id 'a' (2×)",
        "invalid <time datetime='2026-12-03T08:00:00.123456+01:00'>",
        "2 navigation entries marked current",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_valid_where_it_matters(role: str) -> None:
    # German only: the markup is the same in English, and the walk is long on two cores.
    world = build_world()
    user = world.users[role]
    client = Client()
    if user is not None:
        client.force_login(user)

    checked, problems = 0, {}
    for entry in candidate_pages(user):
        response = client.get(entry.path)
        if "text/html" not in response.get("Content-Type", "") or response.status_code in (
            301,
            302,
            405,
        ):
            continue
        checker = PageChecker()
        checker.feed(response.content.decode())
        checked += 1
        if found := checker.problems():
            problems[entry.path] = found

    assert checked > 5, checked
    assert not problems, problems
