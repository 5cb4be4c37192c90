"""A small two-state world for the permission tests: who is who, and what belongs to whom.

Owners of objects:
  A  – Gemeinde A in Landkreis Kelheim, Bavaria (09); its staff is the role "staff_a".
  N  – a neighbouring Gemeinde in Landkreis Landshut, Bavaria; no role belongs to it.
  F  – Stadt Stuttgart, Baden-Württemberg (08); its staff is the role "staff_b".

Every order, contact, comment and staff member carries personal data with markers (PII) that
the ministry viewer must never receive.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.models import CoordinatorInvitation, Invitation, Membership, Role
from dashboard.models import BulkJob
from geo.models import Authority, District
from orders.models import BasketItem, Comment, Order
from outreach import campaigns
from outreach.models import Campaign, CampaignRecipient, SeatBooking, TrainingSession
from rollin.models import RollinItem, SimulatorSubmission
from tests import factories
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import RollinFactory

ROLES = ("anon", "staff_a", "staff_b", "coord_by", "coord_bw", "viewer_by", "federal", "admin")
OWNERS = ("A", "N", "F")

DOCUMENT_NAME = "rollin/dokumente/vertrag-{owner}.pdf"
PDF = b"%PDF-1.4\n% signed contract\n"

# Personal data of people in the world; none of it may reach a ministry viewer.
PII = {
    "A": ("Walburga Vertraulich", "walburga.vertraulich@gemeinde-a.example", "09441 555 0101"),
    "N": ("Korbinian Verschwiegen", "korbinian.verschwiegen@nachbar.example", "0871 555 0202"),
    "F": ("Swantje Diskret", "swantje.diskret@stuttgart.example", "0711 555 0303"),
}
CONTACT = {
    "A": ("Hildegard Geheimnisträger", "hildegard.geheim@gemeinde-a.example", "09441 777 11"),
    "N": ("Xaver Unbekannt", "xaver.unbekannt@nachbar.example", "0871 777 22"),
    "F": ("Gunhild Privat", "gunhild.privat@stuttgart.example", "0711 777 33"),
}


def pii_strings() -> list[str]:
    strings = []
    for name, email, phone in [*PII.values(), *CONTACT.values()]:
        strings += [name, name.split()[-1], email, phone]
    return strings


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    authorities: dict[str, Authority] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    state_ags: dict[str, str] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)  # roll-in at the contract stage
    kickoff: dict[str, Order] = field(default_factory=dict)  # a staff item open
    staff_items: dict[str, RollinItem] = field(default_factory=dict)
    coord_items: dict[str, RollinItem] = field(default_factory=dict)
    doc_items: dict[str, RollinItem] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)
    coordinator_invitations: dict[str, CoordinatorInvitation] = field(default_factory=dict)
    bulk_jobs: dict[str, BulkJob] = field(default_factory=dict)
    service: Any = None
    submission_key: str = ""
    # Outreach: a training session and a campaign per state (keyed "A" for Bavaria, "F" for
    # Baden-Württemberg; N shares A's), a seat of A's and F's authority, and the signed
    # personal link and opt-out link a campaign mail gives each owner's authority.
    sessions: dict[str, TrainingSession] = field(default_factory=dict)
    bookings: dict[str, SeatBooking] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    link_tokens: dict[str, str] = field(default_factory=dict)
    opt_out_tokens: dict[str, str] = field(default_factory=dict)

    def session_of(self, owner: str) -> TrainingSession:
        """The session of the owner's state."""
        return self.sessions["F" if owner == "F" else "A"]


def _geography(world: World) -> None:
    bavaria = factories.StateFactory()
    kelheim = factories.DistrictFactory()
    landshut = factories.DistrictFactory(
        ags="09274",
        name="Landshut",
        official_name="Landshut",
        region=factories.RegionFactory(state=bavaria),
        population=163_000,
    )
    bw = factories.StateFactory(ags="08", name="Baden-Württemberg")
    stuttgart = factories.DistrictFactory(
        ags="08111",
        name="Stuttgart",
        official_name="Stuttgart, Landeshauptstadt",
        kind=District.Kind.KREISFREIE_STADT,
        region=factories.RegionFactory(ags="081", name="Stuttgart", state=bw),
        population=630_000,
    )
    world.districts = {"A": kelheim, "N": landshut, "F": stuttgart}
    world.state_ags = {"A": "09", "N": "09", "F": "08"}
    world.authorities = {
        "A": factories.AuthorityFactory(name="Gemeinde A", district=kelheim),
        "N": factories.AuthorityFactory(key="09274118", name="Gemeinde N", district=landshut),
        "F": factories.AuthorityFactory(
            key="08111000",
            name="Stadt Stuttgart",
            district=stuttgart,
            is_district_level=True,
        ),
    }


def _people(world: World) -> None:
    bavaria, bw = factories.StateFactory(), factories.StateFactory(ags="08")
    staff = {}
    for owner, (name, email, phone) in PII.items():
        first, last = name.split()
        staff[owner] = factories.StaffFactory(
            email=email,
            first_name=first,
            last_name=last,
            phone=phone,
            authority=world.authorities[owner],
        )
    world.users = {
        "anon": None,
        "staff_a": staff["A"],
        "staff_b": staff["F"],
        "coord_by": factories.CoordinatorFactory(states=[bavaria], email="koord.by@example.org"),
        "coord_bw": factories.CoordinatorFactory(states=[bw], email="koord.bw@example.org"),
        "viewer_by": factories.ViewerFactory(states=[bavaria], email="ministerium@example.org"),
        # The federal ministry: every state's reports, nothing else (no states of its own).
        "federal": factories.UserFactory(role=Role.FEDERAL, email="bund@example.org"),
        "admin": factories.AdminFactory(email="betrieb@example.org"),
    }
    world.users["staff_n"] = staff["N"]


def _orders(world: World) -> None:
    # Offered in both states, so both states' staff may order it.
    world.service = ServiceFactory(
        slug="meldebescheinigung",
        name="Meldebescheinigung",
        offered_in=[factories.StateFactory(), factories.StateFactory(ags="08")],
    )
    for owner in OWNERS:
        name, email, phone = CONTACT[owner]
        common = {
            "authority": world.authorities[owner],
            "service": world.service,
            "placed_by": world.users["staff_n"] if owner == "N" else _staff_of(world, owner),
            "contact_name": name,
            "contact_email": email,
            "contact_phone": phone,
        }
        order = RollinFactory(at="vertrag", **{f"order__{k}": v for k, v in common.items()}).order
        world.orders[owner] = order
        items = {i.definition.code: i for i in order.rollin.items.select_related("definition")}
        document = items["vertrag_hochladen"]
        RollinItem.objects.filter(pk=document.pk).update(
            status=RollinItem.Status.DONE,
            completed_at=timezone.now(),
            document=DOCUMENT_NAME.format(owner=owner),
        )
        world.doc_items[owner] = document
        world.coord_items[owner] = items["gegenzeichnen"]
        Comment.objects.create(order=order, author=common["placed_by"], text="Bitte rasch.")
        kickoff = RollinFactory(
            at="kickoff",
            order__service=ServiceFactory(slug=f"leistung-{owner.lower()}"),
            **{f"order__{k}": v for k, v in common.items() if k != "service"},
        ).order
        world.kickoff[owner] = kickoff
        world.staff_items[owner] = kickoff.rollin.items.get()


def _staff_of(world: World, owner: str) -> Any:
    return world.users["staff_a"] if owner == "A" else world.users["staff_b"]


def _accounts(world: World) -> None:
    for owner in OWNERS:
        applicant = factories.StaffFactory(
            email=f"antrag-{owner.lower()}@example.org", authority=None
        )
        world.memberships[owner] = Membership.objects.create(
            user=applicant, authority=world.authorities[owner], message="Bitte freischalten."
        )
        world.invitations[owner] = Invitation.objects.create(
            email=f"neu-{owner.lower()}@example.org",
            authority=world.authorities[owner],
            token=uuid.uuid4().hex,
            invited_by=world.users["admin"],
        )
    for owner in ("A", "F"):
        world.coordinator_invitations[owner] = CoordinatorInvitation.objects.create(
            email=f"koordination-{owner.lower()}@example.org",
            state=world.authorities[owner].state,
            token=uuid.uuid4().hex,
            invited_by=world.users["admin"],
        )


def _coordination(world: World) -> None:
    for owner, creator in (("A", "coord_by"), ("F", "coord_bw")):
        world.bulk_jobs[owner] = BulkJob.objects.create(
            created_by=world.users[creator],
            action=BulkJob.Action.REMIND,
            params={"order_ids": [world.orders[owner].pk], "query": ""},
            total=1,
        )
    for role in ("staff_a", "staff_b"):
        BasketItem.objects.create(user=world.users[role], service=world.service)
    world.submission_key = "testantrag-1"
    SimulatorSubmission.objects.create(
        authority_code=world.authorities["A"].code, key=world.submission_key, payload={}
    )


def _outreach(world: World) -> None:
    starts = timezone.now() + datetime.timedelta(days=14)
    for owner, creator in (("A", "coord_by"), ("F", "coord_bw")):
        state = world.authorities[owner].state
        world.sessions[owner] = TrainingSession.objects.create(
            service=world.service,
            state=state,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="Rathaus, Saal 1",
            capacity=10,
            trainer="Schulungsleitung",
            created_by=world.users[creator],
        )
        world.bookings[owner] = SeatBooking.objects.create(
            session=world.sessions[owner],
            authority=world.authorities[owner],
            order=world.orders[owner],
            booked_by=_staff_of(world, owner),
            status=SeatBooking.Status.CONFIRMED,
        )
        world.campaigns[owner] = Campaign.objects.create(
            state=state,
            service=world.service,
            audience=Campaign.Audience.WHITE_SPOTS,
            subject="Jetzt bestellen",
            body="Liebe {behoerde}, bitte bestellen Sie {leistung}: {link}",
            deadline=(starts + datetime.timedelta(days=30)).date(),
            created_by=world.users[creator],
        )
    for owner in OWNERS:
        email = PII[owner][1]
        recipient = CampaignRecipient.objects.create(
            campaign=world.campaigns["F" if owner == "F" else "A"],
            authority=world.authorities[owner],
            email=email,
            channel=CampaignRecipient.Channel.STAFF,
            sent_at=timezone.now(),
        )
        world.link_tokens[owner] = campaigns.link_token(recipient)
        world.opt_out_tokens[owner] = campaigns.opt_out_token(email)


def tampered(token: str) -> str:
    """The token with one character of its signature changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def build_world() -> World:
    world = World()
    _geography(world)
    _people(world)
    _orders(world)
    _accounts(world)
    _coordination(world)
    _outreach(world)
    return world


def owned_data() -> list[Any]:
    """Everything a refused request must leave as it was."""
    from accounts.models import CoordinatorInvitation, Invitation, Membership, User
    from catalog.models import ServiceOffering
    from geo.models import State
    from orders.models import BasketItem, Comment, Order
    from outreach.models import Campaign, CampaignRecipient, OptOut, SeatBooking, TrainingSession
    from rollin.models import HistoryEntry, Rollin, RollinItem

    models = [
        Order,
        Rollin,
        RollinItem,
        HistoryEntry,
        Comment,
        Membership,
        Invitation,
        CoordinatorInvitation,
        State,
        ServiceOffering,
        TrainingSession,
        SeatBooking,
        Campaign,
        CampaignRecipient,
        OptOut,
    ]
    rows: list[Any] = [list(m._default_manager.order_by("pk").values()) for m in models]
    rows.append(list(User.objects.order_by("pk").values("pk", "role", "authority_id")))
    rows.append(list(BasketItem.objects.order_by("pk").values("pk", "user_id", "service_id")))
    return rows
