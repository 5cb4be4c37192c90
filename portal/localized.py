"""Text written in both languages by the portal: German in `<field>`, English in `<field>_en`."""

from __future__ import annotations

from django.utils.translation import get_language


def localized_value(instance: object, field: str) -> str:
    """`field` holds the German text, `<field>_en` the English one: the active language's,
    falling back to German where no translation is written."""
    if (get_language() or "de").startswith("en"):
        english = getattr(instance, f"{field}_en", "")
        if english:
            return english
    return getattr(instance, field)
