"""The main navigation for the user's role, on every page (portal's processor adds the rest)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, object]:
    return {"nav_items": navigation_for(request)}
