"""Campaigns: audience, placeholders, one mail per address, opt-outs, personal signed links,
the funnel per authority and a follow-up only to those who did not act."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach import campaigns
from outreach.models import Campaign, CampaignRecipient, ContactAddress, OptOut
from tests import factories
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import RollinFactory, default_template

pytestmark = pytest.mark.django_db

BODY = (
    "Guten Tag, {behoerde} bietet {leistung} noch nicht an; {einwohner} Einwohner warten. "
    "Bitte bestellen Sie bis {frist}: {link}"
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OUTREACH_CAMPAIGN_BATCH = 2  # throttled: several batches per campaign


@pytest.fixture
def world() -> dict[str, Any]:
    default_template()
    service = ServiceFactory(slug="ewohnsitz", name="eWohnsitz")
    kelheim = factories.DistrictFactory()
    coordinator = factories.CoordinatorFactory(states=[kelheim.state])
    names = ["Abensberg", "Bad Abbach", "Mainburg", "Riedenburg"]
    authorities = {
        name: factories.AuthorityFactory(
            district=kelheim, key=f"09273{n + 700:03d}", name=name, population=1000 * (n + 1)
        )
        for n, name in enumerate(names)
    }
    factories.StaffFactory(authority=authorities["Abensberg"], email="rathaus@abensberg.example")
    ContactAddress.objects.create(
        authority=authorities["Bad Abbach"], email="poststelle@bad-abbach.example"
    )
    # Mainburg already ordered: no white spot. Riedenburg: no address at all.
    RollinFactory(order__authority=authorities["Mainburg"], order__service=service)
    return {
        "service": service,
        "kelheim": kelheim,
        "coordinator": coordinator,
        "authorities": authorities,
    }


def _create(world: dict[str, Any], **kwargs: Any) -> Campaign:
    fields: dict[str, Any] = {
        "state": world["kelheim"].state,
        "service": world["service"],
        "audience": Campaign.Audience.WHITE_SPOTS,
        "district": world["kelheim"],
        "subject": "{leistung} für {behoerde}",
        "body": BODY,
        "deadline": datetime.date(2026, 12, 20),
    }
    fields.update(kwargs)
    return campaigns.campaign_create(actor=world["coordinator"], **fields)


def _send_all(campaign: Campaign) -> None:
    while campaigns.campaign_send_batch(campaign_id=campaign.pk):
        pass


def test_white_spots_get_staff_else_official_else_no_address(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    campaign = _create(world)
    with django_capture_on_commit_callbacks(execute=True):
        sent = campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
    assert sent == 2
    with django_capture_on_commit_callbacks(execute=True):
        _send_all(campaign)
    rows = {r.authority.name: (r.channel, r.email) for r in campaign.recipients.all()}
    assert rows == {
        "Abensberg": ("staff", "rathaus@abensberg.example"),
        "Bad Abbach": ("official", "poststelle@bad-abbach.example"),
        "Riedenburg": ("none", ""),
    }
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "poststelle@bad-abbach.example",
        "rathaus@abensberg.example",
    ]
    mail = next(m for m in mailoutbox if m.to == ["rathaus@abensberg.example"])
    assert mail.subject == "eWohnsitz für Abensberg"
    assert "1.000 Einwohner" in mail.body and "20.12.2026" in mail.body
    assert "/flaechendeckung/k/" in mail.body and "<img" not in mail.alternatives[0][0]
    # Sending again (a task run twice, a second click) writes no further mail.
    _send_all(campaign)
    with pytest.raises(ValidationError):
        campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "Hallo {buergermeister}", "Platzhalter"),
        ("subject", "Bitte {", "Geschweifte"),
    ],
)
def test_unknown_placeholder_is_refused(world, field, text, message) -> None:
    with pytest.raises(ValidationError, match=message):
        _create(world, **{field: text})
    assert not Campaign.objects.exists()


def test_empty_audience_is_refused(world) -> None:
    other = factories.DistrictFactory(ags="09276", name="Regen", official_name="Regen")
    with pytest.raises(ValidationError, match="leer"):
        _create(world, district=other)
    assert not Campaign.objects.exists()


def test_opted_out_address_gets_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    token = campaigns.opt_out_token("rathaus@abensberg.example")
    assert campaigns.opt_out(token) == "rathaus@abensberg.example"
    campaign = _create(world)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
        _send_all(campaign)
    assert [m.to for m in mailoutbox] == [["poststelle@bad-abbach.example"]]
    assert campaign.recipients.get(authority__name="Abensberg").channel == "opted_out"
    assert campaigns.opt_out("forged") is None and OptOut.objects.count() == 1


def test_link_opens_signup_or_order_and_the_funnel_follows(world, client) -> None:
    campaign = _create(world)
    campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
    _send_all(campaign)
    official = campaign.recipients.get(channel="official")
    staff = campaign.recipients.get(channel="staff")

    response = client.get(reverse("outreach:campaign_link", args=[campaigns.link_token(official)]))
    join = reverse("accounts:membership_request", args=[official.authority_id])
    assert response.status_code == 302 and response.url.endswith(f"?next={join}")
    assert client.get(reverse("outreach:campaign_link", args=["x" + "y" * 20])).status_code == 404

    client.force_login(factories.UserFactory(email="rathaus@abensberg.example"))
    link = reverse("outreach:campaign_link", args=[campaigns.link_token(staff)])
    response = client.get(link)
    assert response.url == reverse("catalog:service_detail", args=["ewohnsitz"])
    # Abensberg orders: the campaign page shows it as ordered, Bad Abbach as opened.
    RollinFactory(order__authority=staff.authority, order__service=world["service"])
    client.force_login(world["coordinator"])
    page = client.get(reverse("outreach:campaign_detail", args=[campaign.pk]))
    steps = dict(re.findall(r'data-authority="(\d+)" data-step="(\w+)"', page.content.decode()))
    authorities = world["authorities"]
    assert steps == {
        authorities["Abensberg"].key: "ordered",
        authorities["Bad Abbach"].key: "opened",
        authorities["Riedenburg"].key: "no_address",
    }
    totals = page.context["totals"]
    assert (totals["sent"], totals["opened"], totals["ordered"]) == (2, 2, 1)


def test_follow_up_goes_only_to_those_who_did_not_act(
    world, client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    campaign = _create(world)
    campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
    _send_all(campaign)
    RollinFactory(
        order__authority=world["authorities"]["Abensberg"], order__service=world["service"]
    )
    mailoutbox.clear()
    client.force_login(world["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:campaign_follow_up", args=[campaign.pk]))
        follow_up = Campaign.objects.get(follow_up_of=campaign)
        _send_all(follow_up)
    assert [m.to for m in mailoutbox] == [["poststelle@bad-abbach.example"]]
    assert mailoutbox[0].subject.startswith("Erinnerung:")
    assert set(follow_up.recipients.values_list("authority__name", flat=True)) == {
        "Bad Abbach",
        "Riedenburg",
    }


def test_preview_and_permissions(world, client) -> None:
    campaign = _create(world)
    client.force_login(world["coordinator"])
    page = client.get(reverse("outreach:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    subject, body = page.context["preview"]
    assert subject == "eWohnsitz für Abensberg" and "{" not in body
    hesse = factories.CoordinatorFactory(states=[factories.StateFactory(ags="06", name="Hessen")])
    client.force_login(hesse)
    assert client.get(reverse("outreach:campaign_detail", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("outreach:campaign_send", args=[campaign.pk])).status_code == 404
    client.force_login(factories.StaffFactory())
    assert client.get(reverse("outreach:campaign_list")).status_code == 403
    assert not CampaignRecipient.objects.exists()


def test_campaign_page_queries_do_not_grow_with_recipients(world, client) -> None:
    campaign = _create(world)
    campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
    client.force_login(world["coordinator"])
    url = reverse("outreach:campaign_detail", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        authority = factories.AuthorityFactory(district=world["kelheim"], key=f"09273{n + 800:03d}")
        CampaignRecipient.objects.create(
            campaign=campaign, authority=authority, email=f"a{n}@example.org", channel="staff"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= 12


def test_a_batch_reads_opt_outs_and_inhabitants_once_whatever_its_size(
    world, settings, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    settings.OUTREACH_CAMPAIGN_BATCH = 50

    def batch_queries(recipients: int) -> list[str]:
        campaign = _create(world)
        campaigns.campaign_send(actor=world["coordinator"], campaign_id=campaign.pk)
        for n in range(recipients):
            authority = factories.AuthorityFactory(
                district=world["kelheim"], key=f"09273{n + 100 * recipients:03d}"
            )
            CampaignRecipient.objects.create(
                campaign=campaign, authority=authority, email=f"a{n}@example.org", channel="staff"
            )
        OptOut.objects.get_or_create(email="A1@example.org")  # case does not matter
        with CaptureQueriesContext(connection) as captured:
            assert campaigns.campaign_send_batch(campaign_id=campaign.pk) == 0
        assert campaign.recipients.get(email="a1@example.org").channel == "opted_out"
        return [query["sql"] for query in captured.captured_queries]

    few, many = batch_queries(3), batch_queries(9)
    for table in ("outreach_optout", "catalog_responsibility"):
        assert sum(table in sql for sql in few) == sum(table in sql for sql in many) == 1
    # The rest is each mail's own: claiming its row and writing it to the outbox.
    assert (len(many) - len(few)) % 6 == 0


def test_contact_addresses_import_is_all_or_nothing(world, tmp_path) -> None:
    riedenburg = world["authorities"]["Riedenburg"]
    good = tmp_path / "ok.csv"
    good.write_text(f"key;email\n{riedenburg.key};rathaus@riedenburg.example\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_contact_addresses", str(good), stdout=out)
    assert ContactAddress.objects.get(authority=riedenburg).email == "rathaus@riedenburg.example"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"key;email\n{riedenburg.key};neu@riedenburg.example\n99999999;x@y.example\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="Zeile 2"):
        call_command("import_contact_addresses", str(bad), stdout=out)
    assert ContactAddress.objects.get(authority=riedenburg).email == "rathaus@riedenburg.example"
    assert timezone.now()  # the import left the earlier address in place
