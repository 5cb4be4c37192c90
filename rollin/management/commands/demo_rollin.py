"""Demo orders for `make run`: the six pilot authorities and a few hundred more in Bavaria.

Every order is placed through rollin.ordering.order_place and walked through the real
services (people's items completed by demo users, automatic items by rollin_advance with the
in-process simulated Fachverfahren). To give the history realistic dates, the demo runs on a
simulated clock: each order is placed weeks or months ago and every step happens some days
after the previous one. Nothing writes stage or status columns directly.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from typing import Any

from auditlog.context import disable_auditlog
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max, Q
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import DEMO_COORDINATORS
from accounts.models import Role, User
from accounts.selectors import coordinators_of_states
from catalog.demo_opening import demo_states_prepare
from catalog.models import Service
from catalog.opening import state_open
from geo.models import Authority, Level
from orders.models import Order
from portal.models import OutgoingEmail
from rollin.backlog import backlog_settle
from rollin.connectors import InProcessConnector
from rollin.models import ItemDefinition, Rollin, RollinItem, SimulatorProfile
from rollin.services import (
    TransitionError,
    rollin_hold,
    rollin_item_complete,
)
from rollin.worker import rollin_advance, rollin_sweep

DEMO_DOMAIN = "demo.digitalmarkt.example"
PILOTS = [
    ("Aschaffenburg", Authority.Kind.KREISFREIE_STADT),
    ("Augsburg", Authority.Kind.KREISFREIE_STADT),
    ("Kelheim", Authority.Kind.LANDRATSAMT),
    ("Regensburg", Authority.Kind.LANDRATSAMT),
    ("Meitingen", Authority.Kind.GEMEINDE),
    ("Pullach", Authority.Kind.GEMEINDE),
]
# Where the other demo orders stop: the item after which nobody acted yet.
TARGETS = [
    ("freigabe", 12),
    ("vertrag_hochladen", 12),
    ("gegenzeichnen", 8),
    ("ansprechpersonen", 12),
    ("eingang_bestaetigen", 12),
    ("schulung_bestaetigen", 8),
    ("wirkbetrieb_freigeben", 6),
    ("live", 30),
]
PDF = b"%PDF-1.4\n% Demo: unterschriebener Nachnutzungsvertrag\n%%EOF\n"


class Clock:
    """The demo's simulated now, handed to the services as their `now`."""

    def __init__(self, start: datetime.datetime) -> None:
        self.now = start

    def days(self, rng: random.Random, low: int, high: int) -> bool:
        """Move on by a random number of days; False when that would pass the real today."""
        step = datetime.timedelta(days=rng.randint(low, high), hours=rng.randint(0, 8))
        if self.now + step > REAL_NOW[0]:
            return False
        self.now += step
        return True


REAL_NOW: list[datetime.datetime] = [timezone.now()]


class Command(BaseCommand):
    help = "Create demo orders walked through the roll-in by the real services (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--orders", type=int, default=250, help="orders beyond the pilots")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Order.objects.filter(placed_by__email__endswith=f"@{DEMO_DOMAIN}").exists():
            self.stdout.write("Roll-in-Demo: bereits vorhanden, nichts zu tun.")
            return
        services = list(
            Service.objects.filter(status=Service.Status.AVAILABLE).prefetch_related(
                "fachverfahren"
            )
        )
        if not services:
            self.stdout.write("Roll-in-Demo: keine Leistungen im Katalog, übersprungen.")
            return
        started = time.monotonic()
        REAL_NOW[0] = timezone.now()
        # Coordinators are looked up once per state and run: a second run in the same process
        # (tests, or a re-created database) must not act as users of an earlier database.
        _COORDINATORS.clear()
        rng = random.Random(options["seed"])
        # E-mails go nowhere and the worker is not woken: the demo walks every order itself.
        # The audit trail records what people really did, stamped with the real time; the
        # demo's invented past would fill it with thousands of entries dated today (and cost
        # a fifth of the run), so it is not audited.
        # One transaction for the whole demo: all of it or nothing, and no commit per step.
        # (atomic innermost: its on-commit callbacks still see the overridden settings)
        # The e-mails the walk writes report an invented past: they are dropped with the rest
        # of that backlog at the end (rollin.backlog), so no send task is queued for them.
        outbox_after_id = OutgoingEmail.objects.aggregate(last=Max("pk"))["last"] or 0
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                ROLLIN_WAKE_WORKER=False,
                EMAIL_OUTBOX_PUBLISH=False,
            ),
            disable_auditlog(),
            transaction.atomic(),
        ):
            count = self._run(rng, services, options["orders"])
            settled = self._settle(outbox_after_id)
        self.stdout.write(
            f"Roll-in-Demo: {count} Bestellungen in {time.monotonic() - started:.1f} s angelegt; "
            f"{settled['unread']} ungelesene Benachrichtigungen zu dem, was jetzt wartet."
        )

    def _settle(self, outbox_after_id: int) -> dict[str, int]:
        """Today: flag what the invented past left overdue and remind of it, as the sweep
        would have done all along; then settle that past (rollin.backlog) so the first start
        sends nothing about it and people find unread only what waits for them now."""
        rollin_sweep(now=REAL_NOW[0])
        demo_users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list(
            "pk", flat=True
        )
        return backlog_settle(
            user_ids={*demo_users, *(u.pk for u in _COORDINATORS.values())},
            outbox_after_id=outbox_after_id,
        )

    def _open_states(self) -> list[int]:
        """Open the demo states (opening flow) before ordering: closed states take no orders."""
        opened = []
        # Only the states whose territory is in (setup_portal's demo_states imports Saarland).
        for state in demo_states_prepare(import_territory=False):
            first = Authority.objects.filter(state=state).order_by("code").first()
            if first is not None:
                _demo_coordinator(first)  # the coordination step: a coordinator of the state
            opened.append(state_open(state=state).pk)
        return opened

    def _run(self, rng: random.Random, services: list[Service], extra: int) -> int:
        count = 0
        opened = self._open_states()
        pilots = [self._pilot(name, kind) for name, kind in PILOTS]
        for authority in filter(None, pilots):
            for service in services:
                count += self._order(
                    rng, authority, service, "live", days_ago=rng.randint(200, 420)
                )
        pool = list(
            Authority.objects.filter(state__ags="09")
            .exclude(pk__in=[p.pk for p in pilots if p])
            .select_related("state")
        )
        rng.shuffle(pool)
        failing = 0
        for authority in pool:
            if count >= extra + 6 * len(services):
                break
            service = rng.choice(services)
            target = rng.choices([t for t, _w in TARGETS], [w for _t, w in TARGETS])[0]
            if target == "eingang_bestaetigen" and failing < 3:
                # A Fachverfahren that never answers: the order ends up failing.
                SimulatorProfile.objects.update_or_create(
                    authority_code=authority.code, defaults={"failure_rate": 1.0}
                )
                failing += 1
            count += self._order(rng, authority, service, target, days_ago=rng.randint(3, 400))
        return count + self._further_states(rng, services, opened)

    def _further_states(
        self, rng: random.Random, services: list[Service], opened: list[int]
    ) -> int:
        """A few orders at different stages in each further demo state (Saarland), started
        recently: the state has just been opened."""
        count = 0
        for state_id in opened:
            pool = list(
                Authority.objects.filter(state_id=state_id)
                .exclude(state__ags="09")
                .order_by("code")
            )
            rng.shuffle(pool)
            for authority, (target, _weight) in zip(pool, TARGETS * 2, strict=False):
                service = rng.choice(services)
                count += self._order(rng, authority, service, target, days_ago=rng.randint(20, 120))
        return count

    def _pilot(self, name: str, kind: str) -> Authority | None:
        authority = Authority.objects.filter(name__icontains=name, kind=kind).first()
        if authority is None:
            self.stdout.write(f"Roll-in-Demo: Pilotbehörde {name} nicht gefunden.")
        return authority

    def _order(
        self, rng: random.Random, authority: Authority, service: Service, target: str, days_ago: int
    ) -> int:
        from orders.services import CheckoutError, OrderLine
        from rollin.ordering import order_place

        level_ok = (
            authority.is_municipal_level
            if service.level == Level.MUNICIPAL
            else authority.is_district_level
        )
        if not level_ok:
            return 0
        clock = Clock(REAL_NOW[0] - datetime.timedelta(days=days_ago))
        staff = _demo_staff(authority)
        line = OrderLine(
            service=service,
            fachverfahren=next(iter(service.fachverfahren.all()), None),
            fachverfahren_other="" if service.fachverfahren.all() else "Eigenentwicklung",
            contact_name=f"{staff.first_name} {staff.last_name}",
            contact_email=staff.email,
            contact_phone="089 123456",
            desired_golive=clock.now.date() + datetime.timedelta(days=180),
            funding_requested=False,
        )
        try:
            [order] = order_place(
                user=staff,
                lines=[line],
                checkout_key=uuid.uuid4(),
                terms_accepted=True,
                now=clock.now,
            )
        except CheckoutError:
            return 0
        _walk(rng, clock, order, staff, _demo_coordinator(authority), target)
        return 1


def _walk(
    rng: random.Random, clock: Clock, order: Order, staff: User, coordinator: User, target: str
) -> None:
    connector = InProcessConnector()
    for _step in range(30):
        rollin = rollin_advance(order_id=order.pk, connector=connector, now=clock.now)
        if rollin is None or rollin.status in (Rollin.Status.LIVE, Rollin.Status.FAILING):
            return
        if rollin.status == Rollin.Status.IN_PROGRESS and rollin.next_attempt_at:
            if not clock.days(rng, 0, 1):
                return
            clock.now = max(clock.now, rollin.next_attempt_at)
            continue
        item = (
            RollinItem.objects.filter(rollin=rollin, stage=rollin.stage)
            .exclude(status=RollinItem.Status.DONE)
            .select_related("definition")
            .order_by("definition__position", "id")
            .first()
        )
        if item is None or item.definition.code == target or not clock.days(rng, 1, 12):
            if item is not None and rng.random() < 0.04:
                rollin_hold(
                    rollin_id=rollin.pk,
                    actor=coordinator,
                    reason="Rückfrage der Behörde zur Finanzierung",
                    now=clock.now,
                )
            return
        actor = coordinator if item.definition.actor == ItemDefinition.Actor.COORDINATOR else staff
        try:
            rollin_item_complete(
                item_id=item.pk,
                actor=actor,
                document=ContentFile(PDF, name="nachnutzungsvertrag.pdf")
                if item.definition.requires_document
                else None,
                data=_demo_contacts(staff)
                if item.definition.role == ItemDefinition.Role.CONTACTS
                else None,
                now=clock.now,
            )
        except TransitionError:
            return


def _demo_contacts(staff: User) -> dict[str, Any]:
    roles = ["project_lead", "technical", "specialist", "vendor", "data_protection"]
    return {
        "contacts": {
            r: {"name": f"{staff.first_name} {staff.last_name}", "email": staff.email}
            for r in roles
        }
    }


def _demo_staff(authority: Authority) -> User:
    email = f"behoerde-{authority.code.lower()}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            role=Role.STAFF,
            authority=authority,
            first_name="Demo",
            last_name=authority.name[:100],
        )
        user.set_unusable_password()  # demo people act only through this command
        user.save()
    return user


_COORDINATORS: dict[int, User] = {}


def _demo_coordinator(authority: Authority) -> User:
    if authority.state_id not in _COORDINATORS:
        user = (
            coordinators_of_states([authority.state_id])
            .filter(~Q(email__endswith=f"@{DEMO_DOMAIN}"))
            .order_by("pk")
            .first()
        )
        if user is None:
            # Each state has its own coordination: never one of another state's people.
            email = DEMO_COORDINATORS.get(
                authority.state.ags, f"koordination-{authority.state.ags}@{DEMO_DOMAIN}"
            )
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "role": Role.COORDINATOR,
                    "first_name": "Demo",
                    "last_name": "Koordination",
                },
            )
            if created:
                user.set_unusable_password()
                user.save()
            user.states.add(authority.state)
        _COORDINATORS[authority.state_id] = user
    return _COORDINATORS[authority.state_id]
