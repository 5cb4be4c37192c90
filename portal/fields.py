"""Form fields that keep any typed value a validation error, never a database error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

# The largest primary key any supported database stores (a signed 64-bit integer). SQLite
# raises OverflowError for a larger parameter instead of finding nothing, so such a value must
# be refused before it reaches a query.
MAX_DATABASE_INTEGER = 2**63 - 1


def is_database_integer(text: str) -> bool:
    """Whether `text` is a whole number a database integer column can hold."""
    text = text.strip()
    return text.lstrip("-").isdigit() and abs(int(text)) <= MAX_DATABASE_INTEGER


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose empty option says what it means: "bitte wählen" where a choice is
    required, "alle" where leaving it empty restricts nothing (a filter, an optional area),
    not Django's "---------". An explicit empty_label is kept."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        if "empty_label" not in kwargs:
            required = kwargs.get("required", True)
            kwargs["empty_label"] = _("bitte wählen") if required else _("alle")
        super().__init__(queryset, **kwargs)

    def to_python(self, value: Any) -> Any:
        text = str(value).strip() if value is not None else ""
        if text.lstrip("-").isdigit() and not is_database_integer(text):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


# For a ModelAdmin's formfield_overrides: a web address typed without a scheme is taken as
# https (the portal's own forms say so with assume_scheme too). Django 5.x still assumes
# http and warns that 6.0 will not.
URLS_ASSUME_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}
