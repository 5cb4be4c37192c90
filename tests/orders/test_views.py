from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import BasketItem, Comment, Order
from rollin import order_urls
from tests.factories import CoordinatorFactory, StaffFactory, UserFactory
from tests.factories_orders import DistrictServiceFactory, OrderFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stage_template", "enqueued")]

ORDER_URL_NAMES = [
    "order_detail",
    "order_contact_edit",
    "order_contract_pdf",
    "order_comment_add",
    "order_cancel",
]


def placed_order(user, client, service=None):
    """Place an order through the real checkout."""
    service = service or ServiceFactory()
    client.force_login(user)
    client.post(reverse("orders:basket_add"), {"service": service.slug})
    client.post(reverse("orders:checkout_service", args=[service.slug]), form_data(service))
    client.post(reverse("orders:checkout_review"), review_data(client))
    return Order.objects.get(service=service, authority=user.authority)


def form_data(service, **changes) -> dict[str, str]:
    data = {
        "fachverfahren": str(service.fachverfahren.first().pk),
        "fachverfahren_other": "",
        "contact_name": "Erika Mustermann",
        "contact_email": "kontakt@gemeinde.example",
        "contact_phone": "09441 1234",
        "desired_golive": (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d.%m.%Y"),
    }
    data.update(changes)
    return data


def review_data(client) -> dict[str, str]:
    page = client.get(reverse("orders:checkout_review")).content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', page).group(1)
    return {"checkout_key": key, "terms_accepted": "on"}


def test_every_order_url_is_covered_by_the_access_test():
    with_number = {p.name for p in order_urls.urlpatterns if "<str:number>" in str(p.pattern)}
    assert with_number == set(ORDER_URL_NAMES)


@pytest.mark.parametrize("url_name", ORDER_URL_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_authoritys_order_answers_404(client, staff, url_name, method):
    foreign = OrderFactory()
    client.force_login(staff)
    response = getattr(client, method)(reverse(f"orders:{url_name}", args=[foreign.number]))
    assert response.status_code == 404
    assert not Comment.objects.exists()
    foreign.refresh_from_db()
    assert foreign.cancelled_at is None and foreign.contact_name == "Erika Mustermann"


@pytest.mark.parametrize("url_name", ORDER_URL_NAMES)
def test_viewer_gets_404_for_every_order_url(client, viewer, url_name):
    order = OrderFactory()
    client.force_login(viewer)
    assert client.get(reverse(f"orders:{url_name}", args=[order.number])).status_code == 404


def test_unapproved_user_can_browse_but_not_add_to_basket(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("orders:basket_add"), {"service": ServiceFactory().slug})
    assert response.url == reverse("accounts:my_authority")
    assert not BasketItem.objects.exists()


def test_checkout_of_two_services_with_error_draft_and_double_submit(client, staff, mailoutbox):
    first, second = ServiceFactory(name="eWohnsitz"), ServiceFactory(name="eWaffe")
    client.force_login(staff)
    for service in (first, second):
        client.post(reverse("orders:basket_add"), {"service": service.slug})
    assert client.get(reverse("orders:checkout")).url == reverse(
        "orders:checkout_service", args=[first.slug]
    )
    step = reverse("orders:checkout_service", args=[first.slug])
    past = form_data(first, desired_golive="01.01.2020", contact_name="Nie Verloren")
    response = client.post(step, past)
    assert response.status_code == 200
    assert (
        "Der gewünschte Start darf nicht in der Vergangenheit liegen." in response.content.decode()
    )
    assert BasketItem.objects.get(service=first).draft["contact_name"] == "Nie Verloren"
    assert "Nie Verloren" in client.get(step).content.decode()  # kept after navigating away
    response = client.post(step, form_data(first))
    assert response.url == reverse("orders:checkout_service", args=[second.slug])
    response = client.post(
        reverse("orders:checkout_service", args=[second.slug]),
        form_data(second, fachverfahren="other", fachverfahren_other="Eigenentwicklung"),
    )
    assert response.url == reverse("orders:checkout_review")
    data = review_data(client)
    response = client.post(reverse("orders:checkout_review"), {**data, "terms_accepted": ""})
    assert "Bitte akzeptieren Sie die Nutzungsbedingungen." in response.content.decode()
    assert not Order.objects.exists()
    response = client.post(reverse("orders:checkout_review"), data)
    assert response.url == reverse("orders:checkout_done")
    assert Order.objects.count() == 2
    # A second click sends the same form again: no second order, the same confirmation.
    response = client.post(reverse("orders:checkout_review"), data)
    assert response.url == reverse("orders:checkout_done")
    assert Order.objects.count() == 2
    done = client.get(reverse("orders:checkout_done")).content.decode()
    for order in Order.objects.all():
        assert order.number in done


def test_already_ordered_service_shows_its_message_at_the_step(client, staff):
    service = ServiceFactory()
    placed_order(staff, client, service)
    # In the basket before a colleague's order went in (basket_add itself refuses it now).
    BasketItem.objects.create(user=staff, service=service)
    response = client.post(
        reverse("orders:checkout_service", args=[service.slug]), form_data(service)
    )
    assert "Diese Leistung ist für Ihre Behörde bereits bestellt." in response.content.decode()
    assert Order.objects.count() == 1


def test_order_list_shows_own_orders_in_constant_queries(
    client, staff, django_assert_max_num_queries
):
    for _ in range(3):
        placed_order(staff, client)
    OrderFactory()  # another authority's
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:order_list"))
    first_page = response.content.decode()
    for _ in range(5):
        placed_order(staff, client)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("orders:order_list"))
    assert len(captured.captured_queries) <= 12
    numbers = set(re.findall(r"DM-\d{4}-\d{6}", response.content.decode()))
    assert numbers == set(
        Order.objects.filter(authority=staff.authority).values_list("number", flat=True)
    )
    assert first_page


def test_order_list_filters_by_status(client, staff):
    order = placed_order(staff, client)
    response = client.get(reverse("orders:order_list"), {"status": "cancelled"})
    assert order.number not in response.content.decode()
    response = client.get(reverse("orders:order_list"), {"status": order.rollin.status})
    assert order.number in response.content.decode()


def test_staff_comment_notifies_coordinators_by_mail(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    order = placed_order(staff, client)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orders:order_comment_add", args=[order.number]), {"text": "Wann geht es los?"}
        )
    assert response.status_code == 302
    assert order.comments.get().text == "Wann geht es los?"
    [mail] = mailoutbox
    assert mail.to == [coordinator.email]
    assert coordinator.notifications.filter(text__contains=order.number).exists()


def test_coordinator_comment_notifies_staff(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    order = placed_order(staff, client)
    mailoutbox.clear()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:order_comment_add", args=[order.number]), {"text": "Bald."})
    assert [mail.to for mail in mailoutbox] == [[staff.email]]


def test_staff_edits_contact_data(client, staff):
    order = placed_order(staff, client)
    response = client.post(
        reverse("orders:order_contact_edit", args=[order.number]),
        {"contact_name": "Max Muster", "contact_email": "max@example.org", "contact_phone": "1"},
    )
    assert response.url == reverse("orders:order_detail", args=[order.number])
    order.refresh_from_db()
    assert order.contact_name == "Max Muster"


def test_staff_cancels_before_contract_with_reason(client, staff):
    order = placed_order(staff, client)
    detail = client.get(reverse("orders:order_detail", args=[order.number]))
    assert "Bestellung stornieren" in detail.content.decode()
    response = client.post(reverse("orders:order_cancel", args=[order.number]), {"reason": ""})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.cancelled_at is None
    client.post(reverse("orders:order_cancel", args=[order.number]), {"reason": "Doppelt"})
    order.refresh_from_db()
    assert order.cancelled_at is not None and order.cancel_reason == "Doppelt"
    assert order.cancelled_by == staff


def test_detail_shows_entered_data_to_staff_and_coordinator(client, staff):
    order = placed_order(staff, client)
    for user in (staff, CoordinatorFactory()):
        client.force_login(user)
        page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
        assert "kontakt@gemeinde.example" in page
        assert order.number in page


def test_other_staff_of_same_authority_see_the_order(client, staff):
    order = placed_order(staff, client)
    colleague = StaffFactory(authority=staff.authority)
    client.force_login(colleague)
    assert client.get(reverse("orders:order_detail", args=[order.number])).status_code == 200


def test_basket_lists_and_removes_items(client, staff):
    service = ServiceFactory(name="eWohnsitz")
    client.force_login(staff)
    client.post(reverse("orders:basket_add"), {"service": service.slug})
    assert "eWohnsitz" in client.get(reverse("orders:basket")).content.decode()
    client.post(reverse("orders:basket_remove", args=[service.slug]))
    assert not BasketItem.objects.exists()


def test_basket_says_which_service_cannot_be_ordered(client, staff):
    client.force_login(staff)
    client.post(reverse("orders:basket_add"), {"service": DistrictServiceFactory().slug})
    assert "Kreisebene" in client.get(reverse("orders:basket")).content.decode()


ALL_URLS = [
    ("order_list", []),
    ("basket", []),
    ("basket_add", []),
    ("checkout", []),
    ("checkout_review", []),
    ("checkout_done", []),
    ("order_detail", ["DM-2026-000001"]),
]


@pytest.mark.parametrize(("url_name", "args"), ALL_URLS)
def test_anonymous_is_sent_to_login(client, url_name, args):
    method = client.post if url_name == "basket_add" else client.get
    response = method(reverse(f"orders:{url_name}", args=args))
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_order_list_per_role(client, staff, viewer, admin_user):
    own = OrderFactory(authority=staff.authority)
    other = OrderFactory()
    coordinator = CoordinatorFactory()
    expected = {
        staff: {own.number},
        coordinator: {own.number, other.number},
        admin_user: {own.number, other.number},
        viewer: set(),
    }
    for user, numbers in expected.items():
        client.force_login(user)
        page = client.get(reverse("orders:order_list")).content.decode()
        assert set(re.findall(r"DM-\d{4}-\d{6}", page)) == numbers, user.role


def test_coordinator_cannot_use_the_basket(client):
    client.force_login(CoordinatorFactory())
    response = client.post(reverse("orders:basket_add"), {"service": ServiceFactory().slug})
    assert response.status_code == 302
    assert not BasketItem.objects.exists()


def test_review_step_links_the_terms_of_use(client, staff):
    service = ServiceFactory()
    client.force_login(staff)
    client.post(reverse("orders:basket_add"), {"service": service.slug})
    client.post(reverse("orders:checkout_service", args=[service.slug]), form_data(service))

    page = client.get(reverse("orders:checkout_review")).content.decode()

    assert f'href="{reverse("portal:terms")}"' in page
    terms = client.get(reverse("portal:terms")).content.decode()
    assert "Stornierung" in terms and "Nachnutzungsvertrag" in terms
