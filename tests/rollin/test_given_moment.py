"""The services take the moment they act at as a parameter: the demo writes its past this way.

No clock is patched here: every date below comes from the `now` handed to the services.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from orders.services import OrderLine
from rollin.models import HistoryEntry, Rollin
from rollin.ordering import order_place
from rollin.services import rollin_hold
from rollin.worker import rollin_advance
from tests.factories import StaffFactory
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import coordinator_for, default_template, open_manual_item

pytestmark = pytest.mark.django_db

PAST = timezone.now().replace(microsecond=0) - datetime.timedelta(days=300)


def _line(service, golive: datetime.date) -> OrderLine:
    return OrderLine(
        service=service,
        fachverfahren=service.fachverfahren.first(),
        fachverfahren_other="",
        contact_name="Erika Mustermann",
        contact_email="kontakt@gemeinde.example",
        contact_phone="09441 1234",
        desired_golive=golive,
        funding_requested=False,
    )


def _place_in_the_past(staff, service):
    # A go-live date that was in the future then and is in the past now.
    [order] = order_place(
        user=staff,
        lines=[_line(service, PAST.date() + datetime.timedelta(days=30))],
        checkout_key=uuid.uuid4(),
        terms_accepted=True,
        now=PAST,
    )
    return order


def test_an_order_placed_at_a_given_moment_carries_it_everywhere() -> None:
    default_template()
    staff = StaffFactory()
    order = _place_in_the_past(staff, ServiceFactory())
    order.refresh_from_db()
    assert order.created_at == PAST
    assert order.terms_accepted_at == PAST
    assert order.number.startswith(f"DM-{timezone.localdate(PAST).year}-")
    rollin = Rollin.objects.get(order=order)
    assert rollin.stage_entered_at == PAST
    [placed] = rollin.history.all()
    assert (placed.action, placed.created_at) == (HistoryEntry.Action.PLACED, PAST)


def test_worker_steps_and_people_act_at_the_moment_they_are_given() -> None:
    default_template()
    staff = StaffFactory()
    order = _place_in_the_past(staff, ServiceFactory())
    later = PAST + datetime.timedelta(days=3)
    rollin_advance(order_id=order.pk, now=later)
    rollin = Rollin.objects.get(order=order)
    assert open_manual_item(rollin) is not None
    rollin_hold(rollin_id=rollin.pk, actor=coordinator_for(order), reason="Rückfrage", now=later)
    held = rollin.history.get(action=HistoryEntry.Action.HELD)
    assert held.created_at == later
    assert all(
        entry.created_at < timezone.now() - datetime.timedelta(days=200)
        for entry in rollin.history.all()
    )


def test_without_waking_the_worker_no_task_is_queued(django_capture_on_commit_callbacks) -> None:
    default_template()
    staff = StaffFactory()
    service = ServiceFactory()
    with (
        override_settings(ROLLIN_WAKE_WORKER=False),
        django_capture_on_commit_callbacks() as queued,
    ):
        order_place(
            user=staff,
            lines=[_line(service, timezone.localdate() + datetime.timedelta(days=30))],
            checkout_key=uuid.uuid4(),
            terms_accepted=True,
        )
    assert not any("advance" in repr(callback) for callback in queued)
    with django_capture_on_commit_callbacks() as woken:
        order_place(
            user=StaffFactory(),
            lines=[_line(service, timezone.localdate() + datetime.timedelta(days=30))],
            checkout_key=uuid.uuid4(),
            terms_accepted=True,
        )
    assert any("advance" in repr(callback) for callback in woken)
