"""The roll-in actions people take on an order page, as one table and one runner.

The staff's order page (rollin.views) and the coordination page (dashboard.views) both run an
action through action_run: the same form, the same service call, the same messages when the
input is invalid or the transition is refused. A page only looks the order up with its own
access helper and answers in its own way: the staff page shows the submitted forms again as
typed (400), the coordination page goes back to its list of waiting items.

Forms are built here and by panel_forms, not by the selectors: a selector reads, the page
decides what can be submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rollin import services
from rollin.forms import cancel_form, complete_form, hold_form, reject_form, resume_form
from rollin.models import Rollin, RollinItem
from rollin.selectors import RollinPanel


@dataclass(frozen=True)
class Action:
    """One action: the service it calls, what the page says when it worked (`%(item)s` is the
    item's label) and the form it needs (None: a button, nothing to enter)."""

    call: Callable[[Rollin, RollinItem | None, Any, Any], object]
    success: Any
    form: Callable[[RollinItem | None, Any, Any], forms.Form] | None = None


def _needs(item: RollinItem | None) -> RollinItem:
    """The item of an item action: the table routes item actions only with their item."""
    if item is None:
        raise ValueError("an item action needs its item")
    return item


ACTIONS: dict[str, Action] = {
    "item_complete": Action(
        form=lambda item, data, files: complete_form(_needs(item), data, files),
        call=lambda rollin, item, actor, form: services.rollin_item_complete(
            item_id=_needs(item).pk,
            actor=actor,
            document=form.cleaned_data.get("document"),
            data=form.item_data(),
        ),
        success=_("„%(item)s“ ist erledigt."),
    ),
    "item_reject": Action(
        form=lambda item, data, files: reject_form(_needs(item), data),
        call=lambda rollin, item, actor, form: services.rollin_item_reject(
            item_id=_needs(item).pk, actor=actor, reason=form.cleaned_data["reason"]
        ),
        success=_("„%(item)s“ wurde zurückgewiesen."),
    ),
    "hold": Action(
        form=lambda item, data, files: hold_form(data),
        call=lambda rollin, item, actor, form: services.rollin_hold(
            rollin_id=rollin.pk, actor=actor, reason=form.cleaned_data["reason"]
        ),
        success=_("Die Bestellung ist zurückgestellt."),
    ),
    "cancel": Action(
        form=lambda item, data, files: cancel_form(data),
        call=lambda rollin, item, actor, form: services.rollin_cancel(
            rollin_id=rollin.pk, actor=actor, reason=form.cleaned_data["reason"]
        ),
        success=_("Die Bestellung ist storniert."),
    ),
    "resume": Action(
        form=lambda item, data, files: resume_form(data),
        call=lambda rollin, item, actor, form: services.rollin_resume(
            rollin_id=rollin.pk, actor=actor, reason=form.cleaned_data["reason"]
        ),
        success=_("Die Bestellung wird fortgesetzt."),
    ),
    "assign": Action(
        call=lambda rollin, item, actor, form: services.rollin_assign(
            rollin_id=rollin.pk, actor=actor, assignee=actor
        ),
        success=_("Die Bestellung ist Ihnen zugewiesen."),
    ),
    "remind": Action(
        call=lambda rollin, item, actor, form: services.rollin_remind(
            rollin_id=rollin.pk, actor=actor
        ),
        success=_("Die Erinnerung ist versandt."),
    ),
}


@dataclass(frozen=True)
class Outcome:
    done: bool
    bound: dict[str, forms.Form]  # the submitted form by prefix, to show it again as typed


def action_run(
    request: HttpRequest, name: str, *, rollin: Rollin, item: RollinItem | None = None
) -> Outcome:
    """Validate the action's form, call its service, and say on the next page how it went."""
    action = ACTIONS[name]
    form = action.form(item, request.POST, request.FILES) if action.form else None
    bound = {form.prefix or name: form} if form is not None else {}
    if form is not None and not form.is_valid():
        for message in dict.fromkeys(m for ms in form.errors.values() for m in ms):
            messages.error(request, str(message))
        return Outcome(done=False, bound=bound)
    try:
        action.call(rollin, item, request.user, form)
    except services.TransitionError as error:
        for message in error.messages:
            messages.error(request, str(message))
        return Outcome(done=False, bound=bound)
    label = item.definition.display_label if item is not None else ""
    messages.success(request, str(action.success) % {"item": label})
    return Outcome(done=True, bound=bound)


def panel_forms(panel: RollinPanel, bound: dict[str, forms.Form] | None = None) -> RollinPanel:
    """Put the forms of the actions the user may take on the panel: fresh ones, or those just
    submitted with errors (by prefix), so nothing typed is lost."""
    bound = bound or {}
    for row in panel.items:
        if row.may_complete:
            row.form = bound.get(f"item{row.item.pk}") or complete_form(row.item)
        if row.may_reject:
            row.reject_form = bound.get(f"reject{row.item.pk}") or reject_form(row.item)
    panel.hold_form = bound.get("hold") or hold_form()
    panel.resume_form = bound.get("resume") or resume_form()
    panel.cancel_form = bound.get("cancel") or cancel_form()
    return panel
