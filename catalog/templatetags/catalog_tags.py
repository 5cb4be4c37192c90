from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj: object, field: str) -> str:
    """`{{ service|localized:"name" }}`: the English text when the UI is English and one exists.

    Works for any model with `<field>_en` columns (also rollin's StageDefinition).
    """
    # The fields are looked up by name, so the type checker cannot see them: they are text.
    text: str
    if hasattr(obj, "localized"):
        text = obj.localized(field)
    elif (get_language() or "de").startswith("en") and getattr(obj, f"{field}_en", None):
        text = getattr(obj, f"{field}_en")
    else:
        text = getattr(obj, field)
    return text
