"""Home, legal pages, notifications and the health endpoint."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.health import health_report
from portal.models import Notification
from portal.services import notifications_mark_read


def _notifications_of(request: HttpRequest) -> QuerySet[Notification]:
    # By the user's id: the portal sits below accounts and does not know its user model.
    return Notification.objects.filter(user_id=cast(int, request.user.pk))  # login_required


def home(request: HttpRequest) -> HttpResponse:
    """The public home; signed-in users get their role's start page (named, not imported:
    it lives in a layer above the portal)."""
    if request.user.is_authenticated:
        return redirect("start")
    return render(request, "portal/home.html")


def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/imprint.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/terms.html")


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_notifications_of(request), 25).get_page(request.GET.get("page"))
    return render(request, "portal/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user_id=cast(int, request.user.pk))  # login_required
    return redirect("portal:notifications")


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] != "fail" else 503)


def help_page(request: HttpRequest) -> HttpResponse:
    """Where to get help: the support channels the operator configured, and first answers."""
    support = {
        "email": settings.SUPPORT_EMAIL,
        "phone": settings.SUPPORT_PHONE,
        "phone_link": "".join(c for c in settings.SUPPORT_PHONE if c.isdigit() or c == "+"),
        "hours": settings.SUPPORT_HOURS,
    }
    context = {
        "support": support,
        # Named by URL name: portal sits below accounts and the allauth pages.
        "authority_url": reverse("accounts:my_authority"),
        "reset_url": reverse("account_reset_password"),
    }
    return render(request, "portal/help.html", context)
