"""Partials that apps above the roll-in show beside an item a person can complete, by the
item's role.

The roll-in sits below outreach and cannot name its pages; outreach registers the link to
book a training session for the training item (outreach.apps), the way the catalog takes
its counts from the roll-in (catalog.selectors).
"""

from __future__ import annotations

_TEMPLATES: dict[str, str] = {}


def item_extra_register(role: str, template: str) -> None:
    """Show `template` beside a completable item of `role`; it gets the order's `number`."""
    _TEMPLATES[role] = template


def item_extra_template(role: str) -> str:
    """The registered partial of the role; "" for none."""
    return _TEMPLATES.get(role, "") if role else ""
