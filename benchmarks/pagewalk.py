"""Every page of the portal, per role: what `make screenshots` and the all-pages browser test walk.

The list is derived from the URL resolver, so a new page is covered without editing this file:
each route is filled with a sample argument of its kind (a service slug, an order number, a state
or district key, a bulk job), and a role keeps the pages it gets as HTML (status 200, no
redirect). Routes that only take POST answer 405 and drop out by themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Machine endpoints, the Django admin, downloads and one-time links: not pages to look at.
SKIP_PREFIXES = (
    "api/",
    "betrieb/",
    "i18n/",
    "health/",
    "rollin/simulator/",
    "konto/logout/",
    "konto/confirm-email/",
    "konto/password/reset/key/",
    "konto/2fa/recovery-codes/download/",
    "konto/behoerde/einladung/",
)
SKIP_SUFFIXES = (".csv", ".pdf", "dokument/")
NOT_FOUND_PATH = "/diese-seite-gibt-es-nicht/"
_ARG = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Page:
    name: str  # url name without namespace separator, for file names: "catalog-service_detail"
    path: str


def routes() -> Iterator[tuple[str, str]]:
    """(route, url name) of every named route, in the resolver's order."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield prefix + str(pattern.pattern), name

    yield from walk(get_resolver(), "", "")


def sample_arguments(user: Any) -> dict[str, str]:
    """One value per kind of URL argument, chosen so that `user` may see the object."""
    from catalog.models import Service
    from dashboard.models import BulkJob
    from geo.models import District, State
    from orders.models import Order
    from outreach.models import Campaign, TrainingSession

    samples: dict[str, str] = {}
    service = Service.objects.order_by("pk").first()
    if service is not None:
        samples["slug"] = service.slug
    states = State.objects.order_by("ags")
    if user is not None and user.pk and user.states.exists():
        states = user.states.order_by("ags")
    orders = Order.objects.order_by("pk")
    if getattr(user, "authority_id", None):
        orders = orders.filter(authority_id=user.authority_id)
    else:
        orders = orders.filter(authority__state__in=states)
    order = orders.first()
    if order is not None:
        samples["number"] = order.number
    state = states.first()
    if state is not None:
        samples["state_ags"] = state.ags
        district = District.objects.filter(ags__startswith=state.ags).order_by("ags").first()
        if district is not None:
            samples["district_ags"] = district.ags
    job = BulkJob.objects.order_by("-pk").first()
    if job is not None:
        samples["job_id"] = str(job.pk)
    session = TrainingSession.objects.filter(state__in=states).order_by("-pk").first()
    if session is not None:
        samples["session_id"] = str(session.pk)
    campaign = Campaign.objects.filter(state__in=states).order_by("-pk").first()
    if campaign is not None:
        samples["campaign_id"] = str(campaign.pk)
    return samples


def candidate_pages(user: Any = None) -> list[Page]:
    """Every GET-able route filled with sample arguments; the caller keeps what answers HTML."""
    samples = sample_arguments(user)
    pages: list[Page] = []
    for route, name in routes():
        if route.startswith(SKIP_PREFIXES) or route.endswith(SKIP_SUFFIXES) or "(?P" in route:
            continue
        kwargs: dict[str, str] = {}
        for match in _ARG.finditer(route):
            arg = match.group("name")
            key = arg
            if arg == "ags":
                key = "district_ags" if route.startswith("berichte/kreis/") else "state_ags"
            if key not in samples:
                break
            kwargs[arg] = samples[key]
        else:
            pages.append(Page(name.replace(":", "-"), reverse(name, kwargs=kwargs)))
    pages.append(Page("error-404", NOT_FOUND_PATH))
    return pages


def html_pages(
    page: Any,
    candidates: list[Page],
    on_page: Callable[[Page, int], None] | None = None,
    before_visit: Callable[[], None] | None = None,
) -> list[tuple[Page, int]]:
    """Visit the candidates in a Playwright page; keep those that answer HTML without redirect.

    One 403 answer is kept as the page "error-403", and the not-found page always. `on_page` is
    called while the page is open, so a caller can check it without a second visit.
    """
    kept: list[tuple[Page, int]] = []
    forbidden = False
    for entry in candidates:
        # Ask first with the browser context's own cookies, without navigating: a POST-only
        # route's empty 405, a download or a redirect would turn a navigation into Chromium's
        # error page, which then interrupts the next navigation. Only pages are visited.
        probe = page.request.get(entry.path, max_redirects=0)
        status = probe.status
        html = "text/html" in (probe.headers.get("content-type") or "")
        probe.dispose()
        if not html or not (status in (200, 403) or entry.name == "error-404"):
            continue
        if status == 403:
            if forbidden:
                continue
            forbidden = True
            entry = Page("error-403", entry.path)
        if before_visit is not None:
            before_visit()
        response = page.goto(entry.path)
        if response is None or response.status != status:
            raise AssertionError(
                f"{entry.path} answered {status}, then {response and response.status}"
            )
        kept.append((entry, status))
        if on_page is not None:
            on_page(entry, status)
    return kept
