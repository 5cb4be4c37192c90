"""The operators' page for opening a state: thin views over catalog.opening."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalog import opening
from catalog.models import Service
from catalog.opening_forms import ContractorForm, CoordinatorForm, OfferingForm, TargetForm
from geo.models import State
from geo.selectors import reference_states

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest


def _require_operator(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_operator:
        raise PermissionDenied


@login_required
def opening_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_operator(request)
    states = {s.ags: s for s in State.objects.all()}
    rows = []
    for ref in reference_states():
        state = states.get(ref.ags)
        missing = opening.opening_missing(state) if state and not state.is_open else []
        rows.append({"ref": ref, "state": state, "missing": missing})
    return render(request, "catalog/opening_list.html", {"rows": rows})


@login_required
def opening_state(request: AuthenticatedHttpRequest, ags: str) -> HttpResponse:
    """The guided flow of one state: every step with its state, and its form."""
    _require_operator(request)
    name = opening.opening_reference_name(ags)
    if name is None:
        raise Http404
    state = opening.opening_state_get(ags)
    forms: dict[str, Form] = {}
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            done, forms = _post(request, step, ags, state)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            done = False
        if done:
            return redirect("opening:state", ags=ags)
    if state is not None:
        forms = {**_forms(state), **forms}
    return render(
        request,
        "catalog/opening_state.html",
        {
            "ags": ags,
            "name": state.name if state else name,
            "state": state,
            "steps": opening.opening_steps(state) if state else [],
            "responsibility": opening.opening_responsibility(state) if state else [],
            "offerings": opening.opening_offerings(state) if state else [],
            "coordinators": opening.opening_coordinators(state) if state else ([], []),
            "forms": forms,
        },
    )


def _forms(state: State) -> dict[str, Form]:
    return {
        "offering": OfferingForm(state=state, prefix="offering"),
        "contractor": ContractorForm(
            prefix="contractor", initial={"general_contractor": state.general_contractor}
        ),
        "coordinator": CoordinatorForm(prefix="coordinator"),
        "target": TargetForm(
            prefix="target",
            initial={"target_services": state.target_services, "target_date": state.target_date},
        ),
    }


def _post(
    request: AuthenticatedHttpRequest, step: str, ags: str, state: State | None
) -> tuple[bool, dict[str, Form]]:
    """Run one step; (True, {}) when done, else the bound form with its errors."""
    if step == "territory":
        opening.opening_territory_import(ags=ags)
        messages.success(request, _("Das Gebiet wurde importiert."))
        return True, {}
    if state is None:
        raise ValidationError(_("Bitte importieren Sie zuerst das Gebiet des Landes."))
    handlers: dict[str, Any] = {
        "responsibility": _responsibility,
        "offering": _offering,
        "withdraw": _withdraw,
        "contractor": _contractor,
        "coordinator": _coordinator,
        "target": _target,
        "open": _open,
    }
    handler = handlers.get(step)
    if handler is None:
        raise ValidationError(_("Unbekannter Schritt."))
    result: tuple[bool, dict[str, Form]] = handler(request, state)
    return result


def _responsibility(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    opening.opening_responsibility_confirm(state=state)
    messages.success(request, _("Die Zuständigkeiten sind bestätigt."))
    return True, {}


def _offering(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    form = OfferingForm(request.POST, state=state, prefix="offering")
    if not form.is_valid():
        return False, {"offering": form}
    offering = opening.opening_service_offer(state=state, **form.cleaned_data)
    messages.success(request, _("%(service)s wird angeboten.") % {"service": offering.service.name})
    return True, {}


def _withdraw(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    service = get_object_or_404(Service, pk=request.POST.get("service") or 0)
    opening.opening_service_withdraw(state=state, service=service)
    messages.success(request, _("%(service)s wird nicht mehr angeboten.") % {"service": service})
    return True, {}


def _contractor(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    form = ContractorForm(request.POST, prefix="contractor")
    if not form.is_valid():
        return False, {"contractor": form}
    opening.opening_contractor_set(state=state, **form.cleaned_data)
    messages.success(request, _("Der Generalunternehmer ist gespeichert."))
    return True, {}


def _coordinator(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    form = CoordinatorForm(request.POST, prefix="coordinator")
    if not form.is_valid():
        return False, {"coordinator": form}
    invitation = opening.opening_coordinator_invite(
        actor=request.user, state=state, email=form.cleaned_data["email"]
    )
    messages.success(
        request, _("Die Einladung an %(email)s wurde versendet.") % {"email": invitation.email}
    )
    return True, {}


def _target(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    form = TargetForm(request.POST, prefix="target")
    if not form.is_valid():
        return False, {"target": form}
    opening.opening_target_set(state=state, **form.cleaned_data)
    messages.success(request, _("Das Ziel ist gespeichert."))
    return True, {}


def _open(request: AuthenticatedHttpRequest, state: State) -> tuple[bool, dict]:
    opening.state_open(state=state)
    messages.success(request, _("%(state)s ist eröffnet.") % {"state": state.name})
    return True, {}
