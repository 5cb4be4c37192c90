"""Campaign pages: write, preview, send, follow the funnel, follow up; the personal link and
the opt-out link that recipients use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outreach import campaigns
from outreach.forms import CampaignForm, PreviewForm
from outreach.models import Campaign
from outreach.views import coordinator_required, states_of
from reports.coverage import coverage_services
from rollin.models import StageDefinition

if TYPE_CHECKING:
    from accounts.typing import AuthenticatedHttpRequest

PREVIEW_CHOICES = 50


def _stages() -> list[tuple[str, str]]:
    stages = StageDefinition.objects.filter(template__service__isnull=True, is_live=False)
    return [(stage.code, stage.display_label) for stage in stages.order_by("position")]


def _campaign_for(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.filter(pk=campaign_id, state__in=states_of(request.user))
        .select_related("service", "state", "region", "district", "follow_up_of")
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


@coordinator_required
@require_GET
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = (
        Campaign.objects.filter(state__in=states_of(request.user), follow_up_of__isnull=True)
        .select_related("service", "state", "district", "region")
        .order_by("-created_at", "-id")[:100]
    )
    return render(request, "outreach/campaign_list.html", {"campaigns": items})


@coordinator_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignForm(
        request.POST or None,
        initial=request.GET.dict() or None,
        states=states_of(request.user),
        services=coverage_services(),
        stages=_stages(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("outreach:campaign_detail", campaign_id=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "outreach/campaign_form.html", {"form": form}, status=status)


@coordinator_required
@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_for(request, campaign_id)
    context: dict[str, object] = {"campaign": campaign}
    if campaign.sent_at is None:
        audience = list(campaigns.campaign_audience(campaign).order_by("name")[:PREVIEW_CHOICES])
        chosen = request.GET.get("authority") or (str(audience[0].pk) if audience else "")
        preview_form = PreviewForm({"authority": chosen}, authorities=audience)
        if audience and preview_form.is_valid():
            authority = next(a for a in audience if str(a.pk) == chosen)
            context["preview"] = campaigns.campaign_preview(campaign, authority)
        context.update(
            preview_form=preview_form,
            audience_count=campaigns.campaign_audience(campaign).count(),
        )
    else:
        rows = campaigns.campaign_funnel(campaign)
        context.update(rows=rows, totals=campaigns.funnel_totals(rows))
    return render(request, "outreach/campaign_detail.html", context)


@coordinator_required
@require_POST
def campaign_send(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_for(request, campaign_id)
    try:
        count = campaigns.campaign_send(actor=request.user, campaign_id=campaign.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Die Kampagne wird versendet: %(count)s E-Mails.") % {"count": count}
        )
    return redirect("outreach:campaign_detail", campaign_id=campaign.pk)


@coordinator_required
@require_POST
def campaign_follow_up(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_for(request, campaign_id)
    try:
        follow_up = campaigns.campaign_follow_up(actor=request.user, campaign_id=campaign.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        count = follow_up.recipients.filter(channel__in=["staff", "official"]).count()
        messages.success(
            request,
            _("Nachfassung an die Behörden, die noch nicht gehandelt haben: %(count)s E-Mails.")
            % {"count": count},
        )
    return redirect("outreach:campaign_detail", campaign_id=campaign.pk)


@require_GET
def campaign_link(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: registered staff of the authority go to the service to order it;
    everyone else to sign-up, then straight to joining the authority."""
    recipient = campaigns.link_open(token)
    if recipient is None:
        return render(request, "outreach/link_invalid.html", status=404)
    service = recipient.campaign.service
    user = request.user
    if user.is_authenticated and getattr(user, "authority_id", None) == recipient.authority_id:
        return redirect("catalog:service_detail", slug=service.slug)
    join = reverse("accounts:membership_request", args=[recipient.authority_id])
    if user.is_authenticated:
        return redirect(join)
    return redirect(f"{reverse('account_signup')}?next={join}")


@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST records: a mail scanner that follows links must not unsubscribe anyone."""
    if request.method == "POST":
        email = campaigns.opt_out(token)
        if email is None:
            raise Http404
        return render(request, "outreach/opt_out.html", {"done": True, "email": email})
    return render(request, "outreach/opt_out.html", {"done": False, "token": token})
