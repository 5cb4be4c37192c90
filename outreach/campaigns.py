"""Outreach campaigns: write once, send to the white spots of a service (or the authorities a
roll-in waits on), through the outbox, throttled, one mail per address, personal signed links
(no tracking pixels), opt-outs honoured, a follow-up to those who did not act.

Recipients of an authority: its registered staff; else its official contact address; else the
authority is listed with no address (to be called). The funnel per authority is read from the
data itself: sent → link opened → registered → ordered → live.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from catalog.responsibility import responsible_authorities
from geo.models import Authority
from orders.models import Order
from outreach.models import Campaign, CampaignRecipient, ContactAddress, OptOut
from outreach.services import may_coordinate_state
from portal.services import email_send
from reports.white_spots import Area, white_spots
from rollin.models import Rollin

if TYPE_CHECKING:
    from catalog.models import Service

Channel = CampaignRecipient.Channel
LINK_SALT = "outreach.campaign.link"
OPT_OUT_SALT = "outreach.campaign.opt-out"
# Placeholders a campaign text may use, and what each stands for.
PLACEHOLDERS = ("behoerde", "leistung", "einwohner", "frist", "link")


def placeholders_check(*texts: str) -> None:
    """Refuse a text with a placeholder that does not exist (or a stray brace)."""
    for text in texts:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            raise ValidationError(
                _("Geschweifte Klammern sind nur für Platzhalter wie {behoerde} erlaubt.")
            ) from None
        unknown = sorted(names - set(PLACEHOLDERS))
        if unknown:
            raise ValidationError(
                _("Diesen Platzhalter gibt es nicht: %(names)s. Möglich sind: %(allowed)s.")
                % {
                    "names": ", ".join("{" + name + "}" for name in unknown),
                    "allowed": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
                }
            )


def _waiting_at(service: Service, area: Area, stage_code: str) -> QuerySet[Authority]:
    waiting = Order.objects.filter(
        authority_id=OuterRef("pk"),
        service=service,
        cancelled_at__isnull=True,
        rollin__status=Rollin.Status.WAITING,
        rollin__stage__code=stage_code,
    )
    authorities = Authority.objects.filter(state__in=area.states).filter(Exists(waiting))
    return area.narrow(authorities)


def campaign_audience(campaign: Campaign) -> QuerySet[Authority]:
    """The authorities the campaign addresses now; a follow-up: those of its first campaign
    that still have not acted (still white spots, or still waited on at the stage)."""
    area = Area(states=[campaign.state], region=campaign.region, district=campaign.district)
    if campaign.audience == Campaign.Audience.WAITING:
        audience = _waiting_at(campaign.service, area, campaign.stage_code)
    else:
        audience = white_spots(campaign.service, area)
    if campaign.follow_up_of_id is not None:
        earlier = CampaignRecipient.objects.filter(campaign_id=campaign.follow_up_of_id)
        audience = audience.filter(pk__in=earlier.values("authority_id"))
    return audience


def campaign_create(*, actor: User, **fields: Any) -> Campaign:
    """A campaign ready to preview and send; refused with a message when its text uses an
    unknown placeholder or its audience is empty."""
    campaign = Campaign(created_by=actor, **fields)
    if not may_coordinate_state(actor, campaign.state_id):
        raise PermissionDenied
    placeholders_check(campaign.subject, campaign.body)
    if campaign.audience == Campaign.Audience.WAITING and not campaign.stage_code:
        raise ValidationError(_("Bitte wählen Sie die Stufe, in der die Einführung wartet."))
    if not campaign_audience(campaign).exists():
        raise ValidationError(_("Der Empfängerkreis ist leer: keine Behörde passt zu der Auswahl."))
    campaign.save()
    return campaign


def _staff_addresses(authority_ids: list[int]) -> dict[int, list[str]]:
    addresses: dict[int, list[str]] = {}
    staff = User.objects.filter(
        authority_id__in=authority_ids, role=Role.STAFF, is_active=True
    ).order_by("email")
    for authority_id, email in staff.values_list("authority_id", "email"):
        addresses.setdefault(authority_id, []).append(email)
    return addresses


def _recipients_for(campaign: Campaign, authorities: list[Authority]) -> list[CampaignRecipient]:
    ids = [authority.pk for authority in authorities]
    staff = _staff_addresses(ids)
    official = dict(
        ContactAddress.objects.filter(authority_id__in=ids).values_list("authority_id", "email")
    )
    opted_out = {email.lower() for email in OptOut.objects.values_list("email", flat=True)}
    rows: list[CampaignRecipient] = []
    seen: set[str] = set()
    for authority in authorities:
        channel, emails = Channel.STAFF, staff.get(authority.pk, [])
        if not emails and authority.pk in official:
            channel, emails = Channel.OFFICIAL, [official[authority.pk]]
        wanted = [email for email in emails if email.lower() not in seen]
        if not wanted:
            rows.append(CampaignRecipient(campaign=campaign, authority=authority, channel="none"))
        for email in wanted:
            seen.add(email.lower())
            blocked = email.lower() in opted_out
            rows.append(
                CampaignRecipient(
                    campaign=campaign,
                    authority=authority,
                    email=email,
                    channel=Channel.OPTED_OUT if blocked else channel,
                )
            )
    return rows


@transaction.atomic
def campaign_send(*, actor: User, campaign_id: int) -> int:
    """Fix the recipients and start the throttled sending; returns the number of e-mails."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if not may_coordinate_state(actor, campaign.state_id):
        raise PermissionDenied
    if campaign.sent_at is not None:
        raise ValidationError(_("Diese Kampagne ist bereits versendet."))
    authorities = list(campaign_audience(campaign).order_by("name", "pk"))
    if not authorities:
        raise ValidationError(_("Der Empfängerkreis ist leer: keine Behörde passt zu der Auswahl."))
    rows = CampaignRecipient.objects.bulk_create(_recipients_for(campaign, authorities))
    campaign.sent_at = timezone.now()
    campaign.save(update_fields=["sent_at"])
    from outreach.tasks import send_campaign_batch

    transaction.on_commit(lambda: send_campaign_batch.delay(campaign.pk))
    return sum(1 for row in rows if row.channel in (Channel.STAFF, Channel.OFFICIAL))


def campaign_send_batch(*, campaign_id: int, limit: int | None = None) -> int:
    """Write up to `limit` of the campaign's unsent e-mails to the outbox; returns how many
    remain. Each row is claimed by a conditional update, so a task run twice sends once."""
    limit = limit or settings.OUTREACH_CAMPAIGN_BATCH
    campaign = Campaign.objects.select_related("service").get(pk=campaign_id)
    pending = CampaignRecipient.objects.filter(
        campaign=campaign, sent_at__isnull=True, channel__in=(Channel.STAFF, Channel.OFFICIAL)
    )
    batch = list(pending.select_related("authority").order_by("pk")[:limit])
    # What every mail of the batch needs, read once for the batch: who opted out, and each
    # authority's inhabitants for the service (one responsibility query per mail was most
    # of a batch's cost).
    opted_out = _opted_out([recipient.email for recipient in batch])
    populations = _served_populations(campaign, [recipient.authority_id for recipient in batch])
    for recipient in batch:
        with transaction.atomic():
            now = timezone.now()
            if not pending.filter(pk=recipient.pk).update(sent_at=now):
                continue  # another run took it
            if recipient.email.lower() in opted_out:
                CampaignRecipient.objects.filter(pk=recipient.pk).update(
                    channel=Channel.OPTED_OUT, sent_at=None
                )
                continue  # opted out after the recipients were fixed
            subject, body = campaign_render(campaign, recipient, populations=populations)
            email_send(
                to=[recipient.email],
                template="campaign",
                context={
                    "subject": subject,
                    "body": body,
                    "opt_out_url": _absolute("outreach:opt_out", opt_out_token(recipient.email)),
                },
            )
    return pending.count()


def _opted_out(emails: list[str]) -> set[str]:
    """The addresses (lower case) that asked for no more campaign e-mails."""
    lowered = {email.lower() for email in emails}
    rows = OptOut.objects.annotate(lowered=Lower("email")).filter(lowered__in=lowered)
    return set(rows.values_list("lowered", flat=True))


def _served_populations(campaign: Campaign, authority_ids: list[int]) -> dict[int, int]:
    """What each authority leaves uncovered: its inhabitants for the campaign's service
    (the one rule of responsibility), for the authorities it serves."""
    served = responsible_authorities(campaign.service, [campaign.state]).filter(
        pk__in=authority_ids
    )
    # served_population is responsible_authorities' annotation, unknown to the type checker.
    return {authority.pk: getattr(authority, "served_population", 0) for authority in served}


def link_token(recipient: CampaignRecipient) -> str:
    return signing.dumps({"r": recipient.pk}, salt=LINK_SALT, compress=True)


def opt_out_token(email: str) -> str:
    return signing.dumps({"e": email}, salt=OPT_OUT_SALT, compress=True)


def _absolute(url_name: str, token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse(url_name, args=[token])


def campaign_render(
    campaign: Campaign,
    recipient: CampaignRecipient,
    *,
    populations: dict[int, int] | None = None,
) -> tuple[str, str]:
    """Subject and text for one recipient, placeholders filled, in German (the language the
    campaign e-mails are written in, whoever previews or sends them). `populations`: the
    served inhabitants by authority if the caller read them (a batch); else read here."""
    if populations is None:
        populations = _served_populations(campaign, [recipient.authority_id])
    with translation.override("de"):
        return _render(campaign, recipient, populations.get(recipient.authority_id))


def _render(
    campaign: Campaign, recipient: CampaignRecipient, population: int | None
) -> tuple[str, str]:
    authority = recipient.authority
    values = {
        "behoerde": authority.name,
        "leistung": campaign.service.display_name,
        "einwohner": f"{population or authority.population:,}".replace(",", "."),
        "frist": date_format(campaign.deadline, "SHORT_DATE_FORMAT"),
        "link": _absolute("outreach:campaign_link", link_token(recipient))
        if recipient.pk
        else _("[persönlicher Link]"),
    }
    return campaign.subject.format(**values), campaign.body.format(**values)


def campaign_preview(campaign: Campaign, authority: Authority) -> tuple[str, str]:
    """The e-mail as the first recipient would get it (no link yet: it is made on sending)."""
    return campaign_render(campaign, CampaignRecipient(campaign=campaign, authority=authority))


def link_open(token: str, *, max_age_days: int = 120) -> CampaignRecipient | None:
    """The recipient of a personal link (its first use is recorded), None if forged/expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(days=max_age_days))
    except signing.BadSignature:
        return None
    recipient = (
        CampaignRecipient.objects.select_related("campaign__service", "authority")
        .filter(pk=data.get("r"))
        .first()
    )
    if recipient is not None and recipient.opened_at is None:
        CampaignRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return recipient


def opt_out(token: str) -> str | None:
    """Record the opt-out of the address in a signed opt-out link; None if forged."""
    try:
        email = signing.loads(token, salt=OPT_OUT_SALT)["e"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    OptOut.objects.get_or_create(email=email.lower())
    return str(email)


@transaction.atomic
def campaign_follow_up(*, actor: User, campaign_id: int) -> Campaign:
    """A new campaign with the same text to the authorities that have not acted since."""
    first = Campaign.objects.get(pk=campaign_id)
    if first.sent_at is None:
        raise ValidationError(_("Eine Nachfassung ist erst nach dem Versand möglich."))
    root = first.follow_up_of or first
    follow_up = campaign_create(
        actor=actor,
        state=root.state,
        service=root.service,
        audience=root.audience,
        region=root.region,
        district=root.district,
        stage_code=root.stage_code,
        subject=_("Erinnerung: %(subject)s") % {"subject": root.subject},
        body=root.body,
        deadline=root.deadline,
        follow_up_of=root,
    )
    campaign_send(actor=actor, campaign_id=follow_up.pk)
    return follow_up


# --- Funnel ---------------------------------------------------------------------------------

STEPS = ("no_address", "sent", "opened", "registered", "ordered", "live")


@dataclass
class FunnelRow:
    authority: Authority
    emails: list[str]
    channel: str
    sent: bool
    opened: bool
    registered: bool
    ordered: bool
    live: bool

    @property
    def step(self) -> str:
        for step, reached in (
            ("live", self.live),
            ("ordered", self.ordered),
            ("registered", self.registered),
            ("opened", self.opened),
            ("sent", self.sent),
        ):
            if reached:
                return step
        return "no_address"


def campaign_funnel(campaign: Campaign) -> list[FunnelRow]:
    """Per authority of the campaign (and its follow-ups): how far it got. Three queries."""
    campaigns = [campaign.pk, *campaign.follow_ups.values_list("pk", flat=True)]
    active = Order.objects.filter(
        authority_id=OuterRef("authority_id"), service=campaign.service, cancelled_at__isnull=True
    )
    staff = User.objects.filter(
        authority_id=OuterRef("authority_id"), role=Role.STAFF, is_active=True
    )
    rows = (
        CampaignRecipient.objects.filter(campaign_id__in=campaigns)
        .select_related("authority")
        .annotate(
            is_registered=Exists(staff),
            has_order=Exists(active),
            is_live=Exists(active.filter(rollin__status=Rollin.Status.LIVE)),
        )
        .order_by("authority__name", "authority_id", "pk")
    )
    by_authority: dict[int, FunnelRow] = {}
    for row in rows:
        entry = by_authority.setdefault(
            row.authority_id,
            FunnelRow(
                authority=row.authority,
                emails=[],
                channel=row.channel,
                sent=False,
                opened=False,
                registered=row.is_registered,
                ordered=row.has_order,
                live=row.is_live,
            ),
        )
        if row.email and row.email not in entry.emails:
            entry.emails.append(row.email)
        entry.sent = entry.sent or row.sent_at is not None
        entry.opened = entry.opened or row.opened_at is not None
        if row.channel in (Channel.STAFF, Channel.OFFICIAL):
            entry.channel = row.channel
    return list(by_authority.values())


def funnel_totals(rows: Iterable[FunnelRow]) -> dict[str, int]:
    """How many authorities reached each step (a later step counts for the earlier ones)."""
    totals = dict.fromkeys(STEPS, 0)
    for row in rows:
        reached = STEPS.index(row.step)
        if row.step == "no_address":
            totals["no_address"] += 1
            continue
        for step in STEPS[1 : reached + 1]:
            totals[step] += 1
    return totals


def contact_addresses_import(rows: Iterable[tuple[str, str]]) -> tuple[int, list[str]]:
    """Official addresses from (AGS/ARS key, e-mail) rows: all or nothing. Returns the number
    stored and, if any row is bad, the errors (then nothing is stored)."""
    from django.core.validators import validate_email

    errors: list[str] = []
    parsed: list[tuple[Authority, str]] = []
    keys = {authority.key: authority for authority in Authority.objects.all()}
    for number, (key, email) in enumerate(rows, start=1):
        authority = keys.get(key.strip())
        try:
            validate_email(email.strip())
        except ValidationError:
            errors.append(_("Zeile %(n)s: ungültige E-Mail-Adresse.") % {"n": number})
            continue
        if authority is None:
            errors.append(
                _("Zeile %(n)s: keine Behörde mit dem Schlüssel %(key)s.")
                % {
                    "n": number,
                    "key": key,
                }
            )
            continue
        parsed.append((authority, email.strip()))
    if errors:
        return 0, errors
    with transaction.atomic():
        for authority, email in parsed:
            ContactAddress.objects.update_or_create(authority=authority, defaults={"email": email})
    return len(parsed), []
