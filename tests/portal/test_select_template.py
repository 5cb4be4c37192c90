"""The select widget's template (templates/django/forms/widgets/select.html, with the tag
portal_tags.select_choices) writes the same markup as Django's own, without a template loop
per option."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy


class ChoiceForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            ("", gettext_lazy("alle")),
            ("9", "Bayern <Süd>"),
            ("6", "Hessen"),
            ("7", "Rheinland-\"Pfalz\" & 'Saar'"),
            ("8", mark_safe("Baden-<i>Württemberg</i>")),
        ]
    )
    areas = forms.MultipleChoiceField(
        choices=[("Bayern", [("091", "Oberbayern"), ("092", "Niederbayern")]), ("06", "Hessen")],
        widget=forms.SelectMultiple(attrs={"class": "kern-form-input__select", "disabled": True}),
    )


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_the_select_renders_as_djangos_own_with_the_choice_selected_and_escaped() -> None:
    form = ChoiceForm(data={"state": "9", "areas": ["092", "06"]})
    ours = form.as_div()
    form.renderer = DjangoTemplates()
    assert _tags(ours) == _tags(form.as_div())
    assert '<option value="9" selected>Bayern &lt;Süd&gt;</option>' in ours
    assert '<optgroup label="Bayern">' in ours
    assert "Rheinland-&quot;Pfalz&quot; &amp; &#x27;Saar&#x27;" in ours
    assert "Baden-<i>Württemberg</i>" in ours
    assert '<option value="092" selected>Niederbayern</option>' in ours
