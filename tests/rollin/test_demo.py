"""The demo (`make run`): orders walked by the real services and worker code, created once."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from accounts.models import User
from geo.models import Authority
from orders.models import Order
from portal.models import DigestEntry, Notification, OutgoingEmail
from rollin.models import HistoryEntry, Rollin, RollinItem
from tests.factories import AuthorityFactory, DistrictFactory, LandratsamtFactory
from tests.factories_orders import DistrictServiceFactory, ServiceFactory
from tests.factories_rollin import (
    assert_clean_stage_walk,
    assert_continuous_history,
    default_template,
    open_manual_item,
)

pytestmark = pytest.mark.django_db

PILOTS = [
    ("Stadt Aschaffenburg", Authority.Kind.KREISFREIE_STADT),
    ("Stadt Augsburg", Authority.Kind.KREISFREIE_STADT),
    ("Landratsamt Kelheim", Authority.Kind.LANDRATSAMT),
    ("Landratsamt Regensburg", Authority.Kind.LANDRATSAMT),
    ("Markt Meitingen", Authority.Kind.GEMEINDE),
    ("Gemeinde Pullach i.Isartal", Authority.Kind.GEMEINDE),
]
DISTRICT_AGS = {"Kelheim": "09273", "Regensburg": "09375"}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Order, Rollin, RollinItem, HistoryEntry, Notification)
    )


def test_demo_walks_pilots_to_live_and_others_to_every_stage_once() -> None:
    default_template()
    ServiceFactory()
    DistrictServiceFactory()
    for name, kind in PILOTS:
        if kind == Authority.Kind.LANDRATSAMT:
            town = name.split()[-1]
            district = DistrictFactory(ags=DISTRICT_AGS[town], name=town, official_name=town)
            LandratsamtFactory(name=name, district=district)
        else:
            AuthorityFactory(
                name=name, kind=kind, is_district_level=kind != Authority.Kind.GEMEINDE
            )
    for _ in range(30):
        AuthorityFactory()
    out = io.StringIO()
    call_command("demo_rollin", orders=20, seed=11, stdout=out)

    for name, _kind in PILOTS:
        pilot_orders = Order.objects.filter(authority__name=name)
        assert pilot_orders.exists(), name
        assert all(o.rollin.status == Rollin.Status.LIVE for o in pilot_orders), name
    stages = Counter(Rollin.objects.values_list("stage__code", flat=True))
    assert len(stages) >= 5, stages  # spread over the pipeline, not all at one stage
    for rollin in Rollin.objects.select_related("template", "stage"):
        # Written by the services: a clean walk whose last stage is the current one.
        assert_clean_stage_walk(rollin)
        assert_continuous_history(rollin)
        placed = rollin.history.get(seq=1)
        assert placed.created_at < rollin.updated_at  # the simulated clock dates the past

    # The invented past arrives as nothing now: no e-mail in the outbox, no reminder waiting
    # for a digest, and unread for the coordination exactly the orders that wait on it.
    assert not OutgoingEmail.objects.exists()
    assert not DigestEntry.objects.filter(digest=None).exists()
    coordination = User.objects.get(email="koordination@demo.digitalmarkt.example")
    waiting_on_coordination = [
        rollin
        for rollin in Rollin.objects.filter(status__in=["waiting", "failing"])
        if rollin.status == "failing" or open_manual_item(rollin).definition.actor == "coordinator"
    ]
    unread = coordination.notifications.filter(read_at=None)
    assert unread.count() == len(waiting_on_coordination) > 0
    assert {n.url.rstrip("/").rsplit("/", 1)[-1] for n in unread} == {
        r.order.number for r in waiting_on_coordination
    }

    before = counts()
    call_command("demo_rollin", orders=20, seed=11, stdout=out)
    assert counts() == before
    assert "bereits vorhanden" in out.getvalue()
