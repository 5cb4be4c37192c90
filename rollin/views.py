"""People's side of the roll-in (POST only, login required) and the simulated Fachverfahren.

The actions run through rollin.actions, one table shared with the coordination page: each view
looks the order up through orders.access.order_get_for_user (404 for foreign orders), runs the
action and goes back to the order page, or shows it again with the submitted form and its
errors (400).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
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
from rollin.actions import Outcome, action_run
from rollin.models import Rollin, RollinItem
from rollin.order_views import order_page
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


def _order_and_rollin(request: AuthenticatedHttpRequest, number: str) -> tuple[Order, Rollin]:
    order = order_get_for_user(request.user, number)
    rollin = Rollin.objects.filter(order=order).first()
    if rollin is None:
        raise Http404(_("Kein Roll-in."))
    return order, rollin


def _answer(request: AuthenticatedHttpRequest, order: Order, outcome: Outcome) -> HttpResponse:
    if outcome.done:
        return redirect(reverse("orders:order_detail", args=[order.number]) + "#rollin")
    return order_page(request, order, status=400, bound=outcome.bound)


@login_required
@require_POST
def item_action(request: AuthenticatedHttpRequest, item_id: int, action: str) -> HttpResponse:
    """Complete or reject a checklist item (`action` comes from rollin/urls.py)."""
    order, item = _item_for_user(request.user, item_id)
    return _answer(request, order, action_run(request, action, rollin=item.rollin, item=item))


@login_required
@require_POST
def rollin_action(request: AuthenticatedHttpRequest, number: str, action: str) -> HttpResponse:
    """Hold, resume, cancel, assign or remind (`action` comes from rollin/urls.py)."""
    order, rollin = _order_and_rollin(request, number)
    return _answer(request, order, action_run(request, action, rollin=rollin))


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
