"""The start page after signing in, one per role (dashboard.start reads what each shows).

Anonymous visitors get the public home page (portal.views.home sends signed-in users here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard import start
from dashboard.access import may_coordinate
from reports.access import may_read_reports

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest


@login_required
@require_GET
def start_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if may_coordinate(user):
        queue = start.coordinator_start(user)
        return render(request, "dashboard/start_coordinator.html", {"start": queue})
    if may_read_reports(user):  # not coordinating (above): a state or federal ministry
        glances = start.ministry_start(user)
        return render(request, "dashboard/start_ministry.html", {"glances": glances})
    if user.is_authority_staff:
        services = start.staff_start(user)
        return render(request, "dashboard/start_staff.html", {"start": services})
    # Signed up, not (yet) confirmed as staff of an authority: the way there.
    return render(request, "dashboard/start_pending.html")
