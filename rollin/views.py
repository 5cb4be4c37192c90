"""People's side of the roll-in (POST only, login required) and the simulated Fachverfahren.

Each view looks the order up through orders.access.order_get_for_user (404 for foreign
orders), validates a form, calls one service and redirects back to the order page.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
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
from portal.uploads import pdf_download_name
from rollin import services
from rollin.forms import cancel_form, complete_form, hold_form, reject_form
from rollin.models import Rollin, RollinItem
from rollin.simulator import simulate, simulator_secret_matches

if TYPE_CHECKING:
    from django.forms import Form

    from accounts.models import User
    from accounts.typing import AuthenticatedHttpRequest

    class _RequestWithBoundForms(AuthenticatedHttpRequest):
        rollin_bound_forms: Mapping[str | None, Form]


def _item_for_user(user: User, item_id: int) -> tuple[Order, RollinItem]:
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


def _rerender(
    request: AuthenticatedHttpRequest, order: Order, forms: Mapping[str | None, Form]
) -> HttpResponse:
    """The order page again, with the submitted forms as typed and their errors (400)."""
    from orders.views import order_detail  # the order page is the orders app's

    cast("_RequestWithBoundForms", request).rollin_bound_forms = forms  # read by rollin_tags
    response = order_detail(request, order.number)
    response.status_code = 400
    return response


def _run(
    request: AuthenticatedHttpRequest,
    order: Order,
    action: Callable[[], object],
    success: str,
    forms: Mapping[str | None, Form],
) -> HttpResponse:
    """Call the service; on a refused transition show why and keep what was typed."""
    try:
        action()
    except services.TransitionError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _rerender(request, order, forms)
    messages.success(request, success)
    return _back(order)


def _invalid(
    request: AuthenticatedHttpRequest, order: Order, forms: Mapping[str | None, Form]
) -> HttpResponse:
    messages.error(request, _("Bitte prüfen Sie Ihre Angaben; die Fehler stehen am Formular."))
    return _rerender(request, order, forms)


@login_required
@require_POST
def item_complete(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    order, item = _item_for_user(request.user, item_id)
    form = complete_form(item, request.POST, request.FILES)
    forms = {form.prefix: form}
    if not form.is_valid():
        return _invalid(request, order, forms)
    return _run(
        request,
        order,
        lambda: services.rollin_item_complete(
            item_id=item.pk,
            actor=request.user,
            document=form.cleaned_data.get("document"),
            data=form.item_data(),
        ),
        _("„%(item)s“ ist erledigt.") % {"item": item.definition.display_label},
        forms,
    )


@login_required
@require_POST
def item_reject(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    order, item = _item_for_user(request.user, item_id)
    form = reject_form(item, request.POST)
    forms = {form.prefix: form}
    if not form.is_valid():
        return _invalid(request, order, forms)
    return _run(
        request,
        order,
        lambda: services.rollin_item_reject(
            item_id=item.pk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("„%(item)s“ wurde zurückgewiesen.") % {"item": item.definition.display_label},
        forms,
    )


@login_required
@require_GET
def item_document(request: AuthenticatedHttpRequest, item_id: int) -> FileResponse:
    """Uploaded documents are served only through here, after the order's access check."""
    order, item = _item_for_user(request.user, item_id)
    if not item.document:
        raise Http404(_("Kein Dokument vorhanden."))
    # Named from our data, not the stored name: files from before Issue 13 (finding 4) were
    # stored under the sender's name and extension.
    return FileResponse(
        item.document.open("rb"),
        as_attachment=True,
        filename=pdf_download_name(order.number, item.definition.code),
        content_type="application/pdf",
    )


def _order_and_rollin(request: AuthenticatedHttpRequest, number: str) -> tuple[Order, Rollin]:
    order = order_get_for_user(request.user, number)
    rollin = Rollin.objects.filter(order=order).first()
    if rollin is None:
        raise Http404(_("Kein Roll-in."))
    return order, rollin


@login_required
@require_POST
def rollin_hold(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order, rollin = _order_and_rollin(request, number)
    form = hold_form(request.POST)
    if not form.is_valid():
        return _invalid(request, order, {"hold": form})
    return _run(
        request,
        order,
        lambda: services.rollin_hold(
            rollin_id=rollin.pk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Die Bestellung ist zurückgestellt."),
        {"hold": form},
    )


@login_required
@require_POST
def rollin_cancel(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order, rollin = _order_and_rollin(request, number)
    form = cancel_form(request.POST)
    if not form.is_valid():
        return _invalid(request, order, {"cancel": form})
    return _run(
        request,
        order,
        lambda: services.rollin_cancel(
            rollin_id=rollin.pk, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Die Bestellung ist storniert."),
        {"cancel": form},
    )


@login_required
@require_POST
def rollin_resume(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order, rollin = _order_and_rollin(request, number)
    return _run(
        request,
        order,
        lambda: services.rollin_resume(rollin_id=rollin.pk, actor=request.user),
        _("Die Bestellung wird fortgesetzt."),
        {},
    )


@login_required
@require_POST
def rollin_assign(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order, rollin = _order_and_rollin(request, number)
    return _run(
        request,
        order,
        lambda: services.rollin_assign(
            rollin_id=rollin.pk, actor=request.user, assignee=request.user
        ),
        _("Die Bestellung ist Ihnen zugewiesen."),
        {},
    )


@login_required
@require_POST
def rollin_remind(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    order, rollin = _order_and_rollin(request, number)
    return _run(
        request,
        order,
        lambda: services.rollin_remind(rollin_id=rollin.pk, actor=request.user),
        _("Die Erinnerung ist versandt."),
        {},
    )


# --- the simulated Fachverfahren --------------------------------------------------------------
# It stands for the authority's own system: machine-to-machine JSON, so no portal login and
# no CSRF; it stores nothing but test submissions and has no access to portal data. Writes
# and acks need the shared secret the connector sends (rollin.simulator.simulator_secret),
# checked before anything else, so an anonymous caller gets one answer for every authority
# and key and learns nothing about orders (Issue 13, finding 5). Production serves it only
# when ROLLIN_SIMULATOR_HTTP is switched on (the compose stack's worker calls it in-process).


def _simulator_served(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not settings.ROLLIN_SIMULATOR_HTTP:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _declared_body_bytes(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads it: no body


def _simulator_caller_checked(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        if not simulator_secret_matches(request.headers.get("Authorization", "")):
            response = JsonResponse({"error": "Zugangsdaten fehlen oder sind falsch"}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="simulator"'
            return response
        # Judged by the declared length, before the body is read into memory.
        if _declared_body_bytes(request) > settings.ROLLIN_SIMULATOR_MAX_BODY_BYTES:
            return JsonResponse({"error": "Anfrage zu groß"}, status=413)
        return view(request, *args, **kwargs)

    return wrapper


def _simulated(
    request: HttpRequest, authority_code: str, action: str, key: str = ""
) -> JsonResponse:
    try:
        payload = json.loads(request.body or b"{}") if request.method == "POST" else {}
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    answer = simulate(authority_code, action, key=key, payload=payload)
    return JsonResponse(answer.body, status=answer.status)


@_simulator_served
@_simulator_caller_checked
@csrf_exempt
@require_POST
def simulator_configure(request: HttpRequest, authority_code: str) -> JsonResponse:
    return _simulated(request, authority_code, "configure")


@_simulator_served
@csrf_exempt
@require_GET
def simulator_probe(request: HttpRequest, authority_code: str) -> JsonResponse:
    # Open: it writes nothing and tells nothing but "reachable" (or the profile's 503).
    return _simulated(request, authority_code, "probe")


@_simulator_served
@_simulator_caller_checked
@csrf_exempt
@require_POST
def simulator_submissions(request: HttpRequest, authority_code: str) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(body, dict):  # 0, [] or "text" are JSON too, but no submission
        return JsonResponse({"error": "JSON object expected"}, status=400)
    key = str(body.get("key") or request.headers.get("Idempotency-Key", ""))
    return _simulated(request, authority_code, "send_test", key=key)


@_simulator_served
@_simulator_caller_checked
@csrf_exempt
@require_http_methods(["GET"])
def simulator_ack(request: HttpRequest, authority_code: str, key: str) -> JsonResponse:
    return _simulated(request, authority_code, "check_ack", key=key)
