"""The main navigation for the user's role, on every page (portal's processor adds the rest)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    items = navigation_for(request)
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else "anonymous"
    active = next((item["url"] for item in items if item["active"]), "")
    # What the rendered navigation depends on besides the language (its cache key, base.html).
    return {"nav_items": items, "nav_key": f"{role}|{active}"}
