"""`make screenshots`: a full-page PNG of every page of every demo role, German and English, at
1366×900 and 390×844, and a contact sheet (var/screenshots/index.html) to look at them all.

Tests assert behaviour; only eyes catch a collapsed chart or a table that hides its columns. The
pages come from benchmarks.pagewalk (the URL resolver), so a new page shows up here by itself.
"""

from __future__ import annotations

import html
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import Role, User
from benchmarks.pagewalk import Page, candidate_pages, html_pages

CHROMIUM = "/usr/bin/chromium"
SIZES = {"1366": (1366, 900), "390": (390, 844)}
LANGUAGES = ("de", "en")
ROLE_NAMES = {
    Role.STAFF: "staff",
    Role.COORDINATOR: "coordinator",
    Role.VIEWER: "ministry",
    Role.FEDERAL: "federal",
    Role.ADMIN: "admin",
}


class Command(BaseCommand):
    help = "Screenshots of every page for every demo role into var/screenshots/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", help="a running portal; default: start one on --port")
        parser.add_argument("--port", type=int, default=8497)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "screenshots"))
        parser.add_argument("--role", action="append", help="only these roles (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; the ORM calls between page
        # visits are still synchronous and safe (as in tests/browser/conftest.py).
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        out = Path(options["out"])
        server = None
        base_url = options["base_url"]
        if not base_url:
            base_url = f"http://127.0.0.1:{options['port']}"
            server = _start_server(options["port"])
        try:
            shots: dict[str, list[tuple[Page, str]]] = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for role, email in _roles(options["role"]):
                    shots[role] = self._shoot_role(browser, base_url, out, role, email)
                browser.close()
            for role, pages in shots.items():  # kept per role, so a run for one role keeps the rest
                manifest = [{"name": e.name, "path": e.path, "status": st} for e, st in pages]
                (out / f"pages-{role}.json").write_text(json.dumps(manifest, indent=1))
            _write_index(out, _manifests(out))
            total = sum(len(v) for v in shots.values()) * len(SIZES) * len(LANGUAGES)
            self.stdout.write(f"{total} Bildschirmfotos; Übersicht: {out / 'index.html'}")
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)

    def _shoot_role(
        self, browser: Any, base_url: str, out: Path, role: str, email: str | None
    ) -> list[tuple[Page, str]]:
        user = User.objects.get(email=email) if email else None
        kept: list[tuple[Page, str]] = []
        for lang in LANGUAGES:
            for size_name, (width, height) in SIZES.items():
                context = browser.new_context(
                    base_url=base_url,
                    viewport={"width": width, "height": height},
                    locale="de-DE" if lang == "de" else "en-GB",
                )
                context.add_cookies(
                    [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url}]
                )
                page = context.new_page()
                if email:
                    _login(page, email)
                if not kept:  # the first pass finds the pages this role gets as HTML
                    found = html_pages(page, candidate_pages(user))
                    kept = [(entry, str(status)) for entry, status in found]
                folder = out / lang / size_name
                folder.mkdir(parents=True, exist_ok=True)
                for entry, _status in kept:
                    page.goto(entry.path)
                    page.screenshot(path=str(folder / f"{role}-{entry.name}.png"), full_page=True)
                self.stdout.write(f"{role} {lang} {size_name}: {len(kept)} Seiten")
                context.close()
        return kept


def _roles(only: list[str] | None) -> list[tuple[str, str | None]]:
    roles: list[tuple[str, str | None]] = [("anonymous", None)]
    seen = set()
    for demo in DEMO_USERS:  # the first demo user of each role stands for it
        name = ROLE_NAMES[Role(demo.role)]
        if name not in seen:
            seen.add(name)
            roles.append((name, demo.email))
    return [r for r in roles if not only or r[0] in only]


def _login(page: Any, email: str) -> None:
    page.goto("/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    # Attached, not visible: at 390 px the account name sits in the closed menu.
    page.wait_for_selector("[data-testid=signed-in-as]", state="attached")


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"runserver on port {port} ended early") from None
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"runserver on port {port} did not answer within 60 s")


def _manifests(out: Path) -> dict[str, list[tuple[Page, str]]]:
    order = ["anonymous", *ROLE_NAMES.values()]
    found: dict[str, list[tuple[Page, str]]] = {}
    for role in order:
        manifest = out / f"pages-{role}.json"
        if manifest.exists():
            entries = json.loads(manifest.read_text())
            found[role] = [(Page(e["name"], e["path"]), e["status"]) for e in entries]
    return found


def _write_index(out: Path, shots: dict[str, list[tuple[Page, str]]]) -> None:
    rows = []
    for role, pages in shots.items():
        rows.append(f"<h2 id='{role}'>{html.escape(role)}</h2>")
        for entry, status in pages:
            cells = []
            for lang in LANGUAGES:
                for size in SIZES:
                    src = f"{lang}/{size}/{role}-{entry.name}.png"
                    cells.append(
                        f"<figure><a href='{src}'><img src='{src}' loading='lazy' "
                        f"alt='{html.escape(role)} {html.escape(entry.name)} {lang} {size}px'>"
                        f"</a><figcaption>{lang} · {size}px</figcaption></figure>"
                    )
            rows.append(
                f"<section><h3>{html.escape(entry.name)} <code>{html.escape(entry.path)}</code>"
                f" ({status})</h3><div class='shots'>{''.join(cells)}</div></section>"
            )
    toc = " · ".join(f"<a href='#{role}'>{html.escape(role)}</a>" for role in shots)
    (out / "index.html").write_text(
        "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'>"
        "<title>DigitalMarkt – Bildschirmfotos</title><style>"
        "body{font-family:sans-serif;margin:1rem}"
        ".shots{display:flex;gap:1rem;align-items:flex-start;overflow-x:auto}"
        "figure{margin:0}img{width:220px;border:1px solid #999}"
        "figure:nth-child(even) img{width:80px}"
        f"</style></head><body><h1>DigitalMarkt – Bildschirmfotos</h1><p>{toc}</p>"
        + "".join(rows)
        + "</body></html>",
        encoding="utf-8",
    )
