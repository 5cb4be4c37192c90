"""Template helpers shared by all apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

if TYPE_CHECKING:
    from django.forms import Form
    from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters replaced: keeps filters when paging."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


@register.filter
def without_placeholders(form: Form) -> Form:
    """The form with its inputs' placeholders removed. allauth puts the label into each input
    as a placeholder; with KERN's visible labels that says everything twice, and placeholder
    text vanishes while typing and is too faint for WCAG contrast."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    return form
