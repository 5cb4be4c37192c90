"""Real-browser harness: Playwright driving Debian's Chromium against pytest-django's live server.

Every journey calls `assert_accessible(page)` on each page it visits: an axe-core scan with the
WCAG 2.1 A/AA rules that fails on any violation.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import CHROMIUM_PATH, skip_or_fail

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test body
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (shutil.which("chromium") or os.path.exists(CHROMIUM_PATH)):
        skip_or_fail("needs Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Fail with axe's report if the current page violates any WCAG 2.1 A/AA rule."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def login(page, email: str, password: str) -> None:
    page.goto("/konto/login/")
    assert_accessible(page)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("[data-testid=signed-in-as]")


def logout(page) -> None:
    # "Abmelden" sits in the account menu (a <details> in the header): open it first.
    page.locator("summary.dm-account__summary").click()
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_selector("text=Anmelden")
