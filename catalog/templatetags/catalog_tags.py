from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """`{{ service|localized:"name" }}`: the English text when the UI is English and one exists.

    Works for any model with `<field>_en` columns (also rollin's StageDefinition).
    """
    if hasattr(obj, "localized"):
        return obj.localized(field)
    if (get_language() or "de").startswith("en") and getattr(obj, f"{field}_en", ""):
        return getattr(obj, f"{field}_en")
    return getattr(obj, field)
