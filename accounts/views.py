"""Thin views: "Meine Behörde", the join request, the coordinators' queue, invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import selectors, services
from accounts.forms import (
    AuthoritySearchForm,
    InvitationForm,
    MembershipRejectForm,
    MembershipRequestForm,
    ProfileForm,
)
from accounts.models import User
from geo.models import Authority

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest


def _require_coordination(request: AuthenticatedHttpRequest) -> None:
    if not (request.user.is_coordinator or request.user.is_operator):
        raise PermissionDenied


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own name and phone, with links to allauth's pages for the rest."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Ihre Angaben wurden gespeichert."))
        return redirect("account_profile")
    status = 400 if form.errors else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
def my_authority(request: AuthenticatedHttpRequest) -> HttpResponse:
    search = AuthoritySearchForm(request.GET or None)
    results = None
    if request.user.authority_id is None and search.is_valid():
        results = selectors.authority_search(search.cleaned_data["q"])[: selectors.SEARCH_LIMIT]
    context = {
        "membership": selectors.membership_current_for(request.user),
        "search": search,
        "results": results,
    }
    return render(request, "accounts/authority_mine.html", context)


@login_required
def membership_request_create(request: AuthenticatedHttpRequest, authority_id: int) -> HttpResponse:
    authority = get_object_or_404(
        Authority.objects.select_related("district", "state"), pk=authority_id
    )
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                user=request.user, authority=authority, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihr Antrag wurde an die Koordination gesendet."))
            return redirect("accounts:my_authority")
    # Said before anyone fills in the form: a state not open yet takes no requests.
    closed = "" if authority.state.is_open else services.state_closed_message(authority.state)
    return render(
        request,
        "accounts/membership_request.html",
        {"authority": authority, "form": form, "closed_message": closed},
    )


@login_required
def membership_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_coordination(request)
    page = Paginator(selectors.membership_queue_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    rows = [
        (membership, MembershipRejectForm(prefix=f"reject-{membership.pk}"))
        for membership in page.object_list
    ]
    return render(request, "accounts/membership_queue.html", {"page": page, "rows": rows})


@require_POST
@login_required
def membership_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_coordination(request)
    membership = get_object_or_404(selectors.membership_visible_to(request.user), pk=pk)
    try:
        services.membership_approve(membership_id=membership.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(user)s wurde bestätigt.") % {"user": membership.user.display_name}
        )
    return redirect("accounts:membership_queue")


@require_POST
@login_required
def membership_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_coordination(request)
    membership = get_object_or_404(selectors.membership_visible_to(request.user), pk=pk)
    form = MembershipRejectForm(request.POST, prefix=f"reject-{membership.pk}")
    if form.is_valid():
        try:
            services.membership_reject(
                membership_id=membership.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Der Antrag von %(user)s wurde abgelehnt.")
                % {"user": membership.user.display_name},
            )
            return redirect("accounts:membership_queue")
    else:
        messages.error(request, _("Bitte geben Sie eine Begründung für die Ablehnung an."))
    return redirect("accounts:membership_queue")


@login_required
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_coordination(request)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Die Einladung an %(email)s wurde versendet.") % {"email": invitation.email},
            )
            return redirect("accounts:invitation_create")
    invitations = selectors.invitation_visible_to(request.user)[:20]
    return render(
        request, "accounts/invitation_create.html", {"form": form, "invitations": invitations}
    )


@login_required
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    error_message = ""
    if request.method == "POST":
        try:
            invitation = services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Sie gehören jetzt zu %(authority)s.") % {"authority": invitation.authority},
            )
            return redirect("accounts:my_authority")
    return render(
        request, "accounts/invitation_accept.html", {"token": token, "error": error_message}
    )


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and for a signed-in person also their stored language, so the
    e-mails the portal writes to them later (without a request) are in the language they read."""
    response = set_language(request)
    if isinstance(request.user, User):  # signed in
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def coordinator_invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    error_message = ""
    if request.method == "POST":
        try:
            invitation = services.coordinator_invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("Sie koordinieren jetzt die Einführung in %(state)s.")
                % {"state": invitation.state.name},
            )
            return redirect("accounts:membership_queue")
    return render(
        request,
        "accounts/coordinator_invitation_accept.html",
        {"token": token, "error": error_message},
    )
