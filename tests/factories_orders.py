"""Factories for catalog data and orders used by the ordering tests (no load_catalog needed)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from catalog.models import CostItem, Fachverfahren, FundingProgramme, Service, ServiceOffering
from geo.models import Level, State
from orders.models import Order
from tests.factories import AuthorityFactory, ModelFactory, StaffFactory, StateFactory


class FachverfahrenFactory(ModelFactory[Fachverfahren]):
    class Meta:
        model = Fachverfahren

    vendor = "AKDB"
    product = factory.Sequence(lambda n: f"OK.Verfahren {n}")
    interface_standard = "XMeld"


class FundingProgrammeFactory(ModelFactory[FundingProgramme]):
    class Meta:
        model = FundingProgramme
        django_get_or_create = ["slug"]

    name = "Förderrichtlinie Digitales Rathaus"
    slug = "digitales-rathaus"
    state = factory.SubFactory(StateFactory)
    rate_percent = Decimal("80.00")
    special_need_rate_percent = Decimal("90.00")
    cap_amount = Decimal("20000.00")
    minimum_amount = Decimal("1000.00")
    application_before_contract = True


class ServiceFactory(ModelFactory[Service]):
    """A municipal-level, available service with one compatible Fachverfahren."""

    class Meta:
        model = Service
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"leistung-{n}")
    name = factory.Sequence(lambda n: f"Leistung {n}")
    short_description = "Eine Onlineleistung."
    description = "Eine Onlineleistung für Bürgerinnen und Bürger."
    level = Level.MUNICIPAL
    responsible_authority = "Meldebehörde"
    status = Service.Status.AVAILABLE

    @factory.post_generation
    def fachverfahren(
        service: Service, create: bool, extracted: list[Fachverfahren] | None, **kwargs: object
    ) -> None:
        if create:
            service.fachverfahren.set(
                extracted if extracted is not None else [FachverfahrenFactory()]
            )

    @factory.post_generation
    def offered_in(
        service: Service, create: bool, extracted: list[State] | None, **kwargs: object
    ) -> None:
        """Offered in Bavaria unless told otherwise (`offered_in=[...]`, `[]` for nowhere)."""
        if create:
            offering_ensure(service, extracted if extracted is not None else [StateFactory()])


def offering_ensure(service: Service, states: list[State]) -> None:
    """Offer `service` in `states` with its own Fachverfahren (as the opening flow would)."""
    if service.status != Service.Status.AVAILABLE:
        return
    for state in states:
        offering, _created = ServiceOffering.objects.get_or_create(
            state=state,
            service=service,
            defaults={"funding_programme_id": service.funding_programme_id},
        )
        offering.fachverfahren.set(service.fachverfahren.all())


class DistrictServiceFactory(ServiceFactory):
    level = Level.DISTRICT
    responsible_authority = "Fahrerlaubnisbehörde"


class CostItemFactory(ModelFactory[CostItem]):
    class Meta:
        model = CostItem

    service = factory.SubFactory(ServiceFactory)
    label = "Einrichtung"
    amount = Decimal("5000.00")
    recurrence = CostItem.Recurrence.ONE_OFF


class OrderFactory(ModelFactory[Order]):
    """An order placed directly (no roll-in); use rollin.ordering.order_place for the real path."""

    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"DM-2026-{n + 900000:06d}")
    authority = factory.SubFactory(AuthorityFactory)
    service = factory.SubFactory(ServiceFactory)
    fachverfahren = factory.LazyAttribute(lambda o: o.service.fachverfahren.first())
    fachverfahren_other = ""
    contact_name = "Erika Mustermann"
    contact_email = "erika@example.org"
    contact_phone = "09441 123456"
    desired_golive = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
    placed_by = factory.SubFactory(StaffFactory, authority=factory.SelfAttribute("..authority"))
    terms_accepted_by = factory.SelfAttribute("placed_by")
    terms_accepted_at = factory.LazyFunction(timezone.now)
    checkout_key = factory.LazyFunction(uuid.uuid4)
