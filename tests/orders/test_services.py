from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from orders.models import BasketItem, FundingCase, Order
from orders.services import CheckoutError, OrderLine
from rollin.models import Rollin
from rollin.ordering import order_place
from tests.factories import LandratsamtFactory, StaffFactory
from tests.factories_orders import (
    CostItemFactory,
    DistrictServiceFactory,
    FachverfahrenFactory,
    FundingProgrammeFactory,
    ServiceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stage_template")]


def line_for(service, **changes) -> OrderLine:
    values = {
        "service": service,
        "fachverfahren": service.fachverfahren.first(),
        "fachverfahren_other": "",
        "contact_name": "Erika Mustermann",
        "contact_email": "kontakt@gemeinde.example",
        "contact_phone": "09441 1234",
        "desired_golive": timezone.localdate() + datetime.timedelta(days=30),
        "funding_requested": False,
    }
    values.update(changes)
    return OrderLine(**values)


def place(user, *lines, key=None, terms=True):
    return order_place(
        user=user, lines=list(lines), checkout_key=key or uuid.uuid4(), terms_accepted=terms
    )


def errors_of(excinfo, service) -> dict[str, list[str]]:
    return excinfo.value.errors_by_service[service.slug]


def test_place_creates_one_order_per_service_with_rollin_and_terms(staff):
    first, second = ServiceFactory(), ServiceFactory()
    BasketItem.objects.create(user=staff, service=first)
    orders = place(staff, line_for(first), line_for(second))
    assert [o.service for o in orders] == [first, second]
    for order in orders:
        assert order.authority == staff.authority
        assert order.terms_accepted_by == staff
        assert order.terms_accepted_at is not None
        assert Rollin.objects.filter(order=order).exists()
    assert not BasketItem.objects.filter(user=staff).exists()


def test_numbers_are_sequential_per_year(staff):
    year = timezone.localdate().year
    orders = place(staff, line_for(ServiceFactory()), line_for(ServiceFactory()))
    orders += place(staff, line_for(ServiceFactory()))
    assert [o.number for o in orders] == [
        f"DM-{year}-000001",
        f"DM-{year}-000002",
        f"DM-{year}-000003",
    ]


def test_double_submit_returns_the_same_orders(staff):
    service = ServiceFactory()
    key = uuid.uuid4()
    first = place(staff, line_for(service), key=key)
    again = place(staff, line_for(service), key=key)
    assert first == again
    assert Order.objects.count() == 1


def test_same_service_twice_is_refused_and_nothing_created(staff):
    service, other = ServiceFactory(), ServiceFactory()
    place(staff, line_for(service))
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(other), line_for(service))
    assert errors_of(excinfo, service) == {
        "__all__": ["Diese Leistung ist für Ihre Behörde bereits bestellt."]
    }
    assert Order.objects.count() == 1
    assert not Order.objects.filter(service=other).exists()


def test_cancelled_order_does_not_block_a_new_one(staff):
    service = ServiceFactory()
    [order] = place(staff, line_for(service))
    Order.objects.filter(pk=order.pk).update(cancelled_at=timezone.now())
    [again] = place(staff, line_for(service))
    assert again.pk != order.pk


def test_district_service_from_a_gemeinde_is_refused(staff):
    service = DistrictServiceFactory()
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service))
    [message] = errors_of(excinfo, service)["__all__"]
    assert "Kreisebene" in message
    assert not Order.objects.exists()


def test_district_service_from_a_landratsamt_is_accepted():
    staff = StaffFactory(authority=LandratsamtFactory())
    [order] = place(staff, line_for(DistrictServiceFactory()))
    assert order.authority.kind == "landratsamt"


def test_planned_service_is_refused(staff):
    service = ServiceFactory(status="planned")
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service))
    assert "noch nicht bestellt" in errors_of(excinfo, service)["__all__"][0]
    assert not Order.objects.exists()


def test_past_golive_is_refused_at_its_field(staff):
    service = ServiceFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service, desired_golive=yesterday))
    assert errors_of(excinfo, service) == {
        "desired_golive": ["Der gewünschte Start darf nicht in der Vergangenheit liegen."]
    }
    assert not Order.objects.exists()


def test_incompatible_fachverfahren_is_refused_at_its_field(staff):
    service = ServiceFactory()
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service, fachverfahren=FachverfahrenFactory()))
    assert errors_of(excinfo, service) == {
        "fachverfahren": ["Dieses Fachverfahren ist mit der Leistung nicht kompatibel."]
    }
    assert not Order.objects.exists()


def test_other_fachverfahren_needs_a_description(staff):
    service = ServiceFactory()
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service, fachverfahren=None, fachverfahren_other=" "))
    assert list(errors_of(excinfo, service)) == ["fachverfahren_other"]
    [order] = place(staff, line_for(service, fachverfahren=None, fachverfahren_other="Eigenbau"))
    assert order.fachverfahren is None and order.fachverfahren_other == "Eigenbau"


def test_terms_must_be_accepted(staff):
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(ServiceFactory()), terms=False)
    assert excinfo.value.errors_by_service["__all__"] == {
        "terms_accepted": ["Bitte akzeptieren Sie die Nutzungsbedingungen."]
    }
    assert not Order.objects.exists()


def test_unapproved_user_cannot_order():
    user = StaffFactory(authority=None)
    with pytest.raises(CheckoutError):
        place(user, line_for(ServiceFactory()))
    assert not Order.objects.exists()


def test_funding_case_is_created_with_capped_rate(staff):
    programme = FundingProgrammeFactory(rate_percent=Decimal("80"), cap_amount=Decimal("5000"))
    service = ServiceFactory(funding_programme=programme)
    CostItemFactory(service=service, amount=Decimal("4000"))
    CostItemFactory(service=service, amount=Decimal("3000"))
    CostItemFactory(service=service, amount=Decimal("9999"), recurrence="yearly")
    [order] = place(staff, line_for(service, funding_requested=True))
    case = FundingCase.objects.get(order=order)
    assert case.programme == programme
    assert case.amount_requested == Decimal("5000.00")  # 80 % of 7000 = 5600, capped


def test_funding_below_minimum_is_refused(staff):
    programme = FundingProgrammeFactory(minimum_amount=Decimal("1000"))
    service = ServiceFactory(funding_programme=programme)
    CostItemFactory(service=service, amount=Decimal("500"))
    with pytest.raises(CheckoutError) as excinfo:
        place(staff, line_for(service, funding_requested=True))
    assert "Mindestbetrag" in errors_of(excinfo, service)["funding_requested"][0]
    assert not Order.objects.exists()


def test_confirmation_mail_goes_to_orderer_and_contact_and_worker_is_queued(
    staff, mailoutbox, django_capture_on_commit_callbacks, enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        orders = place(staff, line_for(ServiceFactory()), line_for(ServiceFactory()))
    assert sorted(enqueued) == sorted(order.pk for order in orders)
    confirmations = [m for m in mailoutbox if "Bestellungen sind eingegangen" in m.subject]
    [mail] = confirmations
    assert set(mail.to) == {staff.email, "kontakt@gemeinde.example"}
    for order in orders:
        assert order.number in mail.body
        assert order.number in mail.alternatives[0][0]
