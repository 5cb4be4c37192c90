"""The main navigation, by role. Entries whose URL is not (yet) routed are left out."""

from __future__ import annotations

import functools

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# (url name, label, roles that see it; None = everyone)
_ENTRIES: list[tuple[str, object, set[str] | None]] = [
    ("catalog:service_list", _("Leistungen"), None),
    ("reports:public_summary", _("Versorgung"), None),
    ("orders:order_list", _("Meine Bestellungen"), {Role.STAFF}),
    ("orders:basket", _("Warenkorb"), {Role.STAFF}),
    ("accounts:my_authority", _("Meine Behörde"), {Role.STAFF}),
    ("dashboard:overview", _("Koordination"), {Role.COORDINATOR, Role.ADMIN}),
    ("dashboard:my_tasks", _("Meine Aufgaben"), {Role.COORDINATOR, Role.ADMIN}),
    ("accounts:membership_queue", _("Zugehörigkeiten"), {Role.COORDINATOR, Role.ADMIN}),
    (
        "reports:state_overview",
        _("Berichte"),
        {Role.VIEWER, Role.FEDERAL, Role.COORDINATOR, Role.ADMIN},
    ),
    ("reports:federal", _("Bund und Länder"), {Role.FEDERAL, Role.ADMIN}),
    ("opening:list", _("Länder eröffnen"), {Role.ADMIN}),
]


def navigation_role(request: HttpRequest) -> str | None:
    """The role the navigation is built for; None for anonymous visitors."""
    user = getattr(request, "user", None)
    return user.role if user is not None and user.is_authenticated else None


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    role = navigation_role(request)
    items: list[dict[str, object]] = [
        {"url": url, "label": label, "active": False}
        for url, label in _routed_entries(role, get_script_prefix(), get_urlconf())
    ]
    current = _current_entry(request.path, [str(item["url"]) for item in items])
    for item in items:
        item["active"] = item["url"] == current
    return items


@functools.lru_cache(maxsize=64)
def _routed_entries(
    role: str | None, script_prefix: str, urlconf: str | None
) -> tuple[tuple[str, object], ...]:
    """The role's entries with their URLs: the same on every page, so reversed once per
    process (per script prefix and URLconf, which reverse() depends on)."""
    entries = []
    for url_name, label, roles in _ENTRIES:
        if roles is not None and role not in roles:
            continue
        try:
            entries.append((reverse(url_name, urlconf=urlconf), label))
        except NoReverseMatch:
            continue
    return tuple(entries)


def _current_entry(path: str, urls: list[str]) -> str | None:
    """The one entry the page belongs to: the longest URL the path starts with. The basket
    (/bestellungen/warenkorb/) lies under "Meine Bestellungen" (/bestellungen/), and only the
    basket may be marked as the current page."""
    matching = [url for url in urls if path.startswith(url)]
    return max(matching, key=len) if matching else None
