"""Two checkouts of the same service for the same authority at the same moment, on PostgreSQL."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from orders.models import Order
from orders.services import CheckoutError, OrderLine
from rollin.ordering import order_place
from tests.factories import StaffFactory
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import default_template

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("precheck", [True, False], ids=["with-precheck", "constraint-only"])
def test_two_concurrent_checkouts_create_exactly_one_order(
    require_postgres, enqueued, monkeypatch, precheck
):
    if not precheck:
        # Both threads pass the service-layer check, as when they read before either commits:
        # only the partial unique constraint stands between them.
        monkeypatch.setattr("orders.services.order_active_exists", lambda **kwargs: False)
    default_template()
    first = StaffFactory()
    second = StaffFactory(authority=first.authority)
    service = ServiceFactory()
    line = OrderLine(
        service=service,
        fachverfahren=service.fachverfahren.first(),
        fachverfahren_other="",
        contact_name="Erika Mustermann",
        contact_email="erika@example.org",
        contact_phone="1",
        desired_golive=timezone.localdate() + datetime.timedelta(days=10),
        funding_requested=False,
    )
    # Both pass validation before either commits; the barrier makes them meet in the database.
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def checkout(user) -> None:
        try:
            barrier.wait()
            outcomes[user.email] = order_place(
                user=user, lines=[line], checkout_key=uuid.uuid4(), terms_accepted=True
            )
        except CheckoutError as error:
            outcomes[user.email] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Order.objects.filter(authority=first.authority, service=service).count() == 1
    errors = [o for o in outcomes.values() if isinstance(o, CheckoutError)]
    placed = [o for o in outcomes.values() if isinstance(o, list)]
    assert len(errors) == 1 and len(placed) == 1
    assert errors[0].errors_by_service[service.slug]["__all__"] == [
        "Diese Leistung ist für Ihre Behörde bereits bestellt."
    ]
    # The failed checkout rolled back its number: the sequence stays gap-free.
    assert placed[0][0].number.endswith("-000001")
