"""Every page of every role, in German and in English, at 1366×900: no axe violation (WCAG 2.1
A/AA), no console error, and nothing in the main content wider than the screen.

The pages are those `make screenshots` photographs (benchmarks.pagewalk: the URL resolver filled
with the permission tests' small two-state world), so a new page is checked without editing this
file.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress

from benchmarks.pagewalk import Page, candidate_pages, html_pages
from tests import factories
from tests.browser.conftest import WCAG_TAGS, login
from tests.security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["anon", "staff_a", "coord_by", "viewer_by", "federal", "admin"]

# Main content wider than the screen, except inside a table's own scroll region; and a table
# region that overflows at this width is reported too (at 1366 px every table must fit).
OVERFLOW_JS = """
() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  }
  const main = document.querySelector("main");
  const right = main.getBoundingClientRect().right + 1;
  for (const el of main.querySelectorAll("*")) {
    if (el.closest(".kern-table-responsive") || el.closest(".kern-sr-only")) continue;
    if (el.closest("details:not([open])")) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > right) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(box.right)}`);
    }
  }
  for (const region of main.querySelectorAll(".kern-table-responsive")) {
    if (region.scrollWidth > region.clientWidth + 1) {
      const label = region.getAttribute("aria-label") || region.getAttribute("aria-labelledby");
      problems.push(`table region ${label} scrolls: ${region.scrollWidth} > ${region.clientWidth}`);
    }
  }
  return problems.slice(0, 5);
}
"""


def _axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    if results.violations_count == 0:
        return []
    return [results.generate_report()]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_accessible_fits_and_logs_no_errors(page, live_server, role, lang) -> None:
    world = build_world()
    user = world.users[role]
    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    if user is not None:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        _login(page, user.email, lang)

    # (text, url) of each console error. Chromium may report a skipped candidate's failed load
    # (405, 404) after the next navigation has started: such a message names the other URL.
    console: list[tuple[str, str]] = []
    page.on(
        "console",
        lambda m: (
            console.append((m.text, m.location.get("url", ""))) if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: console.append((str(error), page.url)))
    candidates = candidate_pages(user)
    candidate_urls = {live_server.url + entry.path for entry in candidates}

    problems: dict[str, list[str]] = {}

    def check(entry: Page, status: int) -> None:
        assert page.locator("html").get_attribute("lang") == lang, entry.path
        found = _axe_violations(page) + [f"overflow: {p}" for p in page.evaluate(OVERFLOW_JS)]
        # Django's placeholder for an empty choice says nothing ("bitte wählen", "alle" do).
        if page.locator("option", has_text="---------").count():
            found.append('an empty option reads "---------"')
        # The error pages' own status is logged by Chromium as a failed resource; nothing else.
        errors = [
            text
            for text, url in console
            if not (url in candidate_urls and url != page.url)
            # only a skipped POST-only candidate answers 405; its line can arrive late
            and "status of 405" not in text
            and (status == 200 or f"status of {status}" not in text)
        ]
        if errors:
            found += [f"console: {e}" for e in errors]
        if found:
            problems[f"{entry.name} {entry.path}"] = found
        console.clear()

    visited = html_pages(page, candidates, on_page=check, before_visit=console.clear)

    names = {entry.name for entry, _status in visited}
    # Signed-in people are sent on from the home page to their start page.
    assert ("portal-home" in names or "start" in names) and "error-404" in names, names
    assert not problems, "\n\n".join(f"{k}:\n" + "\n".join(v) for k, v in problems.items())


def _login(page: Any, email: str, lang: str) -> None:
    if lang == "de":
        login(page, email, factories.DEFAULT_PASSWORD)
        return
    page.goto("/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(factories.DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("[data-testid=signed-in-as]")
