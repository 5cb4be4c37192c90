"""Text written in both languages by the portal: German in `<field>`, English in `<field>_en`."""

from __future__ import annotations

from django.utils.translation import get_language


def localized_text(german: str, english: str) -> str:
    """The English text where the active language is English and one is written; German
    otherwise."""
    if english and (get_language() or "de").startswith("en"):
        return english
    return german


def localized_value(instance: object, field: str) -> str:
    """`field` holds the German text, `<field>_en` the English one: the active language's."""
    return localized_text(getattr(instance, field), getattr(instance, f"{field}_en", ""))
