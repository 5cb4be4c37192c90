"""Sentences the system writes (history reasons, connector failures), stored as a key and
parameters and put into words when read, in the reader's language.

The key is the German msgid, marked with gettext_noop where it is written, so makemessages
finds it and gettext translates it at read time. A parameter is either plain text (a number,
an order number: the same in every language), a text in both languages ({"de": …, "en": …},
e.g. a stage label), or a moment ({"at": ISO 8601}) shown as a local time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext

from portal.localized import localized_text


def both_languages(instance: object, field: str) -> dict[str, str]:
    """A parameter for a model text that exists in German and English (`field`, `field_en`)."""
    return {"de": getattr(instance, field), "en": getattr(instance, f"{field}_en", "")}


def moment(value: datetime.datetime) -> dict[str, str]:
    """A parameter for a point in time, shown as the reader's local time."""
    return {"at": value.isoformat()}


def _param_text(value: Any) -> str:
    if isinstance(value, dict) and "at" in value:
        at = timezone.localtime(datetime.datetime.fromisoformat(value["at"]))
        return formats.time_format(at, "TIME_FORMAT")
    if isinstance(value, dict):
        return localized_text(value.get("de", ""), value.get("en", ""))
    return str(value)


def system_text(key: str, params: dict[str, Any] | None = None) -> str:
    """The sentence `key` with its parameters, in the active language."""
    values = {name: _param_text(value) for name, value in (params or {}).items()}
    try:
        return gettext(key) % values
    except (KeyError, ValueError, TypeError):
        # A translation whose placeholders do not match must not break a page: German then.
        return key % values


class SystemText:
    """A system sentence as a parameter of another text: put into words in the language the
    surrounding text is written in (portal.services.Message renders once per language)."""

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        self.key, self.params = key, params or {}

    def __str__(self) -> str:
        return system_text(self.key, self.params)
