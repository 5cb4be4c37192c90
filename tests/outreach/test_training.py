"""Training sessions: seats and waitlist, confirmation with a calendar entry, reminders,
attendance completing exactly the attendees' training items through the roll-in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.models import SeatBooking, TrainingSession
from outreach.views import PAST_SESSIONS_PER_PAGE
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem
from tests import factories
from tests.factories_orders import ServiceFactory
from tests.factories_rollin import RollinFactory, default_template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def service() -> Any:
    default_template()
    return ServiceFactory(slug="wohnsitz", name="eWohnsitz")


@pytest.fixture
def coordinator() -> Any:
    return factories.CoordinatorFactory(states=[factories.StateFactory()])


def _order_in_training(service: Any, n: int) -> Any:
    authority = factories.AuthorityFactory(key=f"09273{n + 600:03d}", name=f"Gemeinde T{n}")
    return RollinFactory(order__authority=authority, order__service=service, at="schulung").order


def _session(coordinator: Any, service: Any, *, capacity: int = 2, days: float = 3) -> Any:
    start = timezone.now() + datetime.timedelta(days=days)
    return services.session_publish(
        actor=coordinator,
        state=factories.StateFactory(),
        service=service,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=capacity,
        trainer="Team BayKommun",
        online_url="https://schulung.example/raum-1",
    )


def _training_item(order: Any) -> RollinItem:
    return RollinItem.objects.get(
        rollin__order=order, definition__role=ItemDefinition.Role.TRAINING
    )


def test_publishing_and_booking_are_in_the_audit_trail(service, coordinator, client) -> None:
    from auditlog.models import LogEntry

    client.force_login(coordinator)
    start = timezone.localtime() + datetime.timedelta(days=5)
    response = client.post(
        reverse("outreach:session_create"),
        {
            "state": coordinator.states.get().pk,
            "service": service.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Landratsamt Kelheim, Saal 2",
            "capacity": 10,
            "trainer": "Team BayKommun",
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert LogEntry.objects.get_for_object(session).get().actor == coordinator
    order = _order_in_training(service, 1)
    booking = services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
    assert LogEntry.objects.get_for_object(booking).exists()


def test_a_session_in_the_past_is_refused_by_the_form(service, coordinator, client) -> None:
    client.force_login(coordinator)
    start = timezone.localtime() - datetime.timedelta(days=1)
    response = client.post(
        reverse("outreach:session_create"),
        {
            "state": coordinator.states.get().pk,
            "service": service.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "online_url": "https://schulung.example/raum",
            "capacity": 10,
            "trainer": "Team BayKommun",
        },
    )
    assert response.status_code == 400
    assert "Der Termin liegt in der Vergangenheit." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_the_default_template_marks_its_training_item_by_role(service) -> None:
    items = ItemDefinition.objects.filter(
        role=ItemDefinition.Role.TRAINING, stage__template__service__isnull=True
    )
    assert [item.stage.code for item in items] == ["schulung"]


def test_third_booking_waits_and_moves_up_when_a_seat_is_cancelled(
    service, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    session = _session(coordinator, service, capacity=2)
    orders = [_order_in_training(service, n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        bookings = [
            services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
            for order in orders
        ]
    statuses = [booking.status for booking in bookings]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    # Confirmations carry the calendar entry; the waitlisted authority gets none yet.
    assert [len(mail.attachments) for mail in mailoutbox] == [1, 1, 0]
    filename, content, mimetype = mailoutbox[0].attachments[0]
    assert filename == "schulung.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content and "\r\n" in content

    with django_capture_on_commit_callbacks(execute=True):
        services.seat_cancel(actor=orders[0].placed_by, booking_id=bookings[0].pk)

    bookings = [SeatBooking.objects.get(pk=booking.pk) for booking in bookings]
    assert [b.status for b in bookings] == ["cancelled", "confirmed", "confirmed"]
    promoted = mailoutbox[-1]
    assert promoted.to == [orders[2].placed_by.email]
    assert len(promoted.attachments) == 1


def test_the_booker_hears_in_their_language(
    service, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    session = _session(coordinator, service)
    english, german = _order_in_training(service, 0), _order_in_training(service, 1)
    type(english.placed_by).objects.filter(pk=english.placed_by.pk).update(language="en")
    english.placed_by.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for order in (english, german):
            services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert subjects[english.placed_by.email].startswith("Training session confirmed")
    assert subjects[german.placed_by.email].startswith("Schulungstermin bestätigt")
    assert "Hello," in mailoutbox[0].body


def test_attendance_completes_exactly_the_attendees_training_items(
    service, coordinator, client
) -> None:
    session = _session(coordinator, service, capacity=3)
    orders = [_order_in_training(service, n) for n in range(3)]
    bookings = [
        services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
        for order in orders
    ]
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client.force_login(coordinator)
    url = reverse("outreach:attendance", args=[session.pk])
    response = client.post(url, {"attended": [bookings[0].pk, bookings[2].pk]})
    assert response.status_code == 302

    items = [_training_item(order) for order in orders]
    assert [item.status for item in items] == ["done", "open", "done"]
    for order, attended in zip(orders, (True, False, True), strict=True):
        history = HistoryEntry.objects.filter(
            rollin__order=order, action=HistoryEntry.Action.ITEM_DONE
        )
        assert history.filter(actor=coordinator).exists() is attended
        page = client.get(reverse("dashboard:order_detail", args=[order.number]))
        assert ("Schulung bestätigen" in page.content.decode()) is True
    assert [b.attended for b in SeatBooking.objects.order_by("pk")] == [True, False, True]

    # Once for the whole list: a second submission changes nothing.
    client.post(url, {"attended": [bookings[1].pk]})
    assert _training_item(orders[1]).status == "open"


def test_bad_input_changes_nothing(service, coordinator) -> None:
    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.session_publish(
            actor=coordinator,
            state=factories.StateFactory(),
            service=service,
            starts_at=past,
            ends_at=past + datetime.timedelta(hours=1),
            capacity=5,
            trainer="X",
            place="Landratsamt Kelheim",
        )
    assert not TrainingSession.objects.exists()
    session = _session(coordinator, service, capacity=2)
    for n in range(2):
        order = _order_in_training(service, n)
        services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
    with pytest.raises(ValidationError, match="2 Plätze"):
        services.session_update(actor=coordinator, session_id=session.pk, changes={"capacity": 1})
    session.refresh_from_db()
    assert session.capacity == 2


def test_booking_needs_the_training_stage_and_ones_own_authority(service, coordinator) -> None:
    session = _session(coordinator, service)
    early = RollinFactory(order__service=service, at="vertrag").order
    with pytest.raises(ValidationError):
        services.seat_book(actor=early.placed_by, order=early, session_id=session.pk)
    order = _order_in_training(service, 1)
    stranger = factories.StaffFactory()
    with pytest.raises(PermissionDenied):
        services.seat_book(actor=stranger, order=order, session_id=session.pk)
    assert not SeatBooking.objects.exists()


def test_staff_book_from_their_order_page_and_not_others(service, coordinator, client) -> None:
    session = _session(coordinator, service)
    order = _order_in_training(service, 1)
    client.force_login(order.placed_by)
    detail = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert reverse("outreach:order_sessions", args=[order.number]) in detail
    page = client.get(reverse("outreach:order_sessions", args=[order.number]))
    assert page.status_code == 200 and f'data-session="{session.pk}"' in page.content.decode()
    client.post(reverse("outreach:seat_book", args=[order.number, session.pk]))
    assert SeatBooking.objects.get().status == "confirmed"

    other = _order_in_training(service, 2)
    response = client.post(reverse("outreach:seat_book", args=[other.number, session.pk]))
    assert response.status_code == 404
    assert SeatBooking.objects.count() == 1
    # Coordinators see the sessions; staff do not.
    assert client.get(reverse("outreach:session_list")).status_code == 403


def test_reminder_goes_once_the_day_before(
    service, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    session = _session(coordinator, service, days=0.5)
    later = _session(coordinator, service, days=3)
    order = _order_in_training(service, 1)
    services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
    services.seat_book(actor=order.placed_by, order=order, session_id=later.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1  # tomorrow's session only
        assert services.reminders_send() == 0
    assert len(mailoutbox) == 1 and "Erinnerung" in mailoutbox[0].subject


def test_session_list_shows_seats_taken_in_constant_queries(service, coordinator, client) -> None:
    client.force_login(coordinator)
    _session(coordinator, service)
    client.get(reverse("outreach:session_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outreach:session_list"))
    for n in range(5):
        session = _session(coordinator, service, days=2 + n)
        order = _order_in_training(service, n)
        services.seat_book(actor=order.placed_by, order=order, session_id=session.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("outreach:session_list"))
    assert len(many) == len(few) <= 10
    assert 'data-taken="1"' in response.content.decode()


def test_past_sessions_are_paged_and_the_coming_ones_listed_on_every_page(
    service, coordinator, client
) -> None:
    client.force_login(coordinator)
    coming = _session(coordinator, service, days=5)
    past = [_session(coordinator, service, days=1 + n) for n in range(PAST_SESSIONS_PER_PAGE + 2)]
    for n, session in enumerate(past):  # held n + 1 days ago
        start = timezone.now() - datetime.timedelta(days=n + 1)
        TrainingSession.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )
    first = client.get(reverse("outreach:session_list"))
    assert [s.pk for s in first.context["upcoming"]] == [coming.pk]
    newest_first = [s.pk for s in past]
    assert [s.pk for s in first.context["page"]] == newest_first[:PAST_SESSIONS_PER_PAGE]
    second = client.get(reverse("outreach:session_list"), {"page": 2})
    assert [s.pk for s in second.context["upcoming"]] == [coming.pk]
    assert [s.pk for s in second.context["page"]] == newest_first[PAST_SESSIONS_PER_PAGE:]
    assert "Seite 2 von 2" in second.content.decode()


def test_only_coordinators_of_the_state_see_a_session(service, coordinator, client) -> None:
    session = _session(coordinator, service)
    hesse = factories.CoordinatorFactory(states=[factories.StateFactory(ags="06", name="Hessen")])
    client.force_login(hesse)
    assert client.get(reverse("outreach:session_detail", args=[session.pk])).status_code == 404
    assert Rollin.objects.count() == 0
