"""The main navigation for the user's role, on every page (portal's processor adds the rest)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.navigation import navigation_for, navigation_role


def navigation(request: HttpRequest) -> dict[str, object]:
    items = navigation_for(request)
    active = next((item["url"] for item in items if item["active"]), "")
    # What the rendered navigation depends on besides the language (its cache key, base.html).
    role = navigation_role(request) or "anonymous"
    return {"nav_items": items, "nav_key": f"{role}|{active}"}
