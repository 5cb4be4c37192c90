from __future__ import annotations

from typing import Any

from django import template

from rollin.models import Rollin
from rollin.selectors import RollinPanel, rollin_panel

register = template.Library()


@register.simple_tag
def rollin_panel_for(rollin: Rollin, user: Any) -> RollinPanel:
    """The partial's data: built by rollin.selectors, so the template holds no rules."""
    return rollin_panel(rollin, user)
