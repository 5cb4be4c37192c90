"""The KERN template pack for crispy forms: errors summed up at the top with links to the fields,
hints and errors tied to their controls, required fields marked."""

from __future__ import annotations

from django import forms
from django.template import Context, Template


class _ContactForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Vor- und Nachname")
    level = forms.ChoiceField(label="Ebene", choices=[("m", "Gemeinde"), ("d", "Kreis")])
    kind = forms.ChoiceField(
        label="Art", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False
    )
    agree = forms.BooleanField(label="Einverstanden")


def _render(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def test_error_summary_comes_first_and_links_to_each_field() -> None:
    form = _ContactForm(data={})
    html = _render(form)

    assert html.index('data-testid="error-summary"') < html.index('id="div_id_name"')
    assert 'href="#id_name"' in html and 'href="#id_agree"' in html
    assert "Bitte korrigieren Sie 3 Angaben:" in html


def test_hint_and_error_are_tied_to_the_input() -> None:
    html = _render(_ContactForm(data={}))

    assert 'class="kern-hint" id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_error id_name_helptext"' in html
    assert "kern-form-input__input--error" in html


def test_controls_use_kern_markup_and_required_fields_are_marked() -> None:
    html = _render(_ContactForm())

    assert 'class="kern-form-input__select-wrapper"' in html
    assert '<fieldset class="kern-fieldset' in html and '<legend class="kern-label">Art' in html
    assert "kern-form-check__radio" in html and "kern-form-check__checkbox" in html
    assert html.count('<span class="dm-required" aria-hidden="true"> *</span>') == 3
    assert "error-summary" not in html
