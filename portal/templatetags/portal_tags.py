"""Template helpers shared by all apps."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from django import template
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag(takes_context=True)
def include_once(context: template.Context, template_name: str) -> SafeString:
    """`{% include %}` of a part that a page shows twice with the same context: rendered the
    first time, repeated the second. The header shows the account menu and the notifications
    link once for wide screens and again in the narrow screens' folded menu (both without
    JavaScript), and that second rendering cost a tenth of a signed-in page."""
    key = f"include_once:{template_name}"
    rendered: SafeString | None = context.render_context.get(key)
    if rendered is None:
        assert context.template is not None  # a tag renders inside a template
        rendered = context.template.engine.get_template(template_name).render(context)
        # Set after rendering, in the including template's state (the included one's is
        # popped by then): both places in base.html share it.
        context.render_context[key] = rendered
    return rendered


@register.filter
def without_placeholders(form: Form) -> Form:
    """The form with its inputs' placeholders removed. allauth puts the label into each input
    as a placeholder; with KERN's visible labels that says everything twice, and placeholder
    text vanishes while typing and is too faint for WCAG contrast."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    return form


@register.simple_tag
def select_choices(optgroups: list[tuple[str | None, list[dict[str, Any]], int]]) -> SafeString:
    """The inside of a select widget (its optgroups and options), as Django's templates write it
    (django/forms/widgets/select.html and select_option.html). Built here rather than by
    template loops: they took 20 µs an option, and the white-spot filter offers 500 (a
    district select of all states)."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(_option_html(option) for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))


def _option_html(option: dict[str, Any]) -> str:
    attrs = "".join(
        f" {name}" if value is True else f' {name}="{_escape(str(value))}"'
        for name, value in option["attrs"].items()
        if value is not False
    )
    value = _escape(str(option["value"]))
    return f'\n  <option value="{value}"{attrs}>{_escape(option["label"])}</option>'


def _escape(text: object) -> str:
    """django.utils.html.conditional_escape without its check for lazy arguments, which was
    half of this tag's time: the same html.escape, and safe strings left as they are."""
    if hasattr(text, "__html__"):
        return str(text.__html__())
    return html.escape(str(text))
