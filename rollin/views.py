"""People's side of the roll-in (POST only, login required) and the simulated Fachverfahren.

Each view looks the order up through orders.access.order_get_for_user (404 for foreign
orders), validates a form, calls one service and redirects back to the order page.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from orders.access import order_get_for_user
from orders.models import Order
from rollin import services
from rollin.forms import ReasonForm, complete_form_class
from rollin.models import RollinItem
from rollin.simulator import simulate


def _item_for_user(user: Any, item_id: int) -> tuple[Order, RollinItem]:
    item = (
        RollinItem.objects.select_related("definition", "rollin__order", "stage")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404(_("Nicht gefunden."))
    order = order_get_for_user(user, item.rollin.order.number)
    return order, item


def _back(order: Order) -> HttpResponse:
    return redirect(reverse("orders:order_detail", args=[order.number]) + "#rollin")


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field_name, errors in form.errors.items():
        label = form.fields[field_name].label if field_name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _run(request: HttpRequest, action: Any, success: str) -> None:
    try:
        action()
    except services.TransitionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def item_complete(request: HttpRequest, item_id: int) -> HttpResponse:
    order, item = _item_for_user(request.user, item_id)
    form = complete_form_class(item)(
        request.POST, request.FILES, item=item, prefix=f"item{item.pk}"
    )
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    _run(
        request,
        lambda: services.rollin_item_complete(
            item_id=item.pk,
            actor=request.user,
            document=form.cleaned_data.get("document"),
            data=form.item_data(),
        ),
        _("„%(item)s“ ist erledigt.") % {"item": item.definition.label},
    )
    return _back(order)


@login_required
@require_POST
def item_reject(request: HttpRequest, item_id: int) -> HttpResponse:
    order, item = _item_for_user(request.user, item_id)
    form = ReasonForm(request.POST, prefix=f"reject{item.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return _back(order)
    _run(
        request,
        lambda: services.rollin_item_reject(
            item_id=item.pk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("„%(item)s“ wurde zurückgewiesen.") % {"item": item.definition.label},
    )
    return _back(order)


@login_required
@require_GET
def item_document(request: HttpRequest, item_id: int) -> HttpResponse:
    """Uploaded documents are served only through here, after the order's access check."""
    _order, item = _item_for_user(request.user, item_id)
    if not item.document:
        raise Http404(_("Kein Dokument vorhanden."))
    return FileResponse(
        item.document.open("rb"),
        as_attachment=True,
        filename=item.document.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def _rollin_action(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    order = order_get_for_user(request.user, number)
    rollin = getattr(order, "rollin", None)
    if rollin is None:
        raise Http404(_("Kein Roll-in."))
    if kind in ("hold", "cancel"):
        form = ReasonForm(request.POST, prefix=kind)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(order)
        reason = form.cleaned_data["reason"]
    actions = {
        "hold": (
            lambda: services.rollin_hold(rollin_id=rollin.pk, actor=request.user, reason=reason),
            _("Die Bestellung ist zurückgestellt."),
        ),
        "resume": (
            lambda: services.rollin_resume(rollin_id=rollin.pk, actor=request.user),
            _("Die Bestellung wird fortgesetzt."),
        ),
        "cancel": (
            lambda: services.rollin_cancel(rollin_id=rollin.pk, actor=request.user, reason=reason),
            _("Die Bestellung ist storniert."),
        ),
        "assign": (
            lambda: services.rollin_assign(
                rollin_id=rollin.pk, actor=request.user, assignee=request.user
            ),
            _("Die Bestellung ist Ihnen zugewiesen."),
        ),
        "remind": (
            lambda: services.rollin_remind(rollin_id=rollin.pk, actor=request.user),
            _("Die Erinnerung ist versandt."),
        ),
    }
    action, success = actions[kind]
    _run(request, action, success)
    return _back(order)


@login_required
@require_POST
def rollin_hold(request: HttpRequest, number: str) -> HttpResponse:
    return _rollin_action(request, number, "hold")


@login_required
@require_POST
def rollin_resume(request: HttpRequest, number: str) -> HttpResponse:
    return _rollin_action(request, number, "resume")


@login_required
@require_POST
def rollin_cancel(request: HttpRequest, number: str) -> HttpResponse:
    return _rollin_action(request, number, "cancel")


@login_required
@require_POST
def rollin_assign(request: HttpRequest, number: str) -> HttpResponse:
    return _rollin_action(request, number, "assign")


@login_required
@require_POST
def rollin_remind(request: HttpRequest, number: str) -> HttpResponse:
    return _rollin_action(request, number, "remind")


# --- the simulated Fachverfahren --------------------------------------------------------------
# It stands for the authority's own system, so it has no login and no CSRF (machine-to-machine
# JSON); it stores nothing but test submissions and has no access to portal data.


def _simulated(
    request: HttpRequest, authority_code: str, action: str, key: str = ""
) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"{}") if request.method == "POST" else {}
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    answer = simulate(authority_code, action, key=key, payload=payload)
    return JsonResponse(answer.body, status=answer.status)


@csrf_exempt
@require_POST
def simulator_configure(request: HttpRequest, authority_code: str) -> JsonResponse:
    return _simulated(request, authority_code, "configure")


@csrf_exempt
@require_GET
def simulator_probe(request: HttpRequest, authority_code: str) -> JsonResponse:
    return _simulated(request, authority_code, "probe")


@csrf_exempt
@require_POST
def simulator_submissions(request: HttpRequest, authority_code: str) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    key = str(body.get("key") or request.headers.get("Idempotency-Key", ""))
    return _simulated(request, authority_code, "send_test", key=key)


@csrf_exempt
@require_http_methods(["GET"])
def simulator_ack(request: HttpRequest, authority_code: str, key: str) -> JsonResponse:
    return _simulated(request, authority_code, "check_ack", key=key)
