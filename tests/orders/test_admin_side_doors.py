"""The admin shows orders and roll-ins but cannot write around the services: who ordered what,
the cancellation, the roll-in's state and due day change only through the transitions, which
keep the history and the maintained figures in step."""

from __future__ import annotations

import pytest
from django.forms import SplitDateTimeWidget
from django.urls import reverse

from orders.models import Order
from rollin.figures import figures_maintained, figures_recomputed
from rollin.models import Rollin
from tests import factories
from tests.factories_rollin import order_with_rollin

pytestmark = pytest.mark.django_db


def test_an_order_s_authority_and_cancellation_are_read_only(client, admin_user) -> None:
    order = order_with_rollin()
    other = factories.AuthorityFactory()
    client.force_login(admin_user)
    url = reverse("admin:orders_order_change", args=[order.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="authority"' not in html and 'name="cancelled_at_0"' not in html

    # The form as the operator would send it, plus the two fields it does not show.
    data = _form_data(page)
    data.update({"authority": other.pk, "cancelled_at_0": "01.01.2026"})
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors  # it was saved

    order.refresh_from_db()
    assert order.authority_id != other.pk and order.cancelled_at is None
    states = [order.authority.state_id]
    assert figures_maintained(states) == figures_recomputed(states)


def _form_data(page) -> dict[str, object]:
    """The change form's fields and its inlines' management forms with their current values."""
    data: dict[str, object] = {}
    forms = [page.context["adminform"].form]
    forms += [inline.formset.management_form for inline in page.context["inline_admin_formsets"]]
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, SplitDateTimeWidget):
                day, time = field.field.widget.decompress(value)
                data.update({f"{field.html_name}_0": day or "", f"{field.html_name}_1": time or ""})
            elif value is not None and value is not False:
                data[field.html_name] = value
    return data


def test_orders_and_roll_ins_cannot_be_added_or_deleted_in_the_admin(client, admin_user) -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.get(order=order)
    client.force_login(admin_user)
    for url in (
        reverse("admin:orders_order_add"),
        reverse("admin:orders_order_delete", args=[order.pk]),
        reverse("admin:rollin_rollin_add"),
        reverse("admin:rollin_rollin_delete", args=[rollin.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert Order.objects.filter(pk=order.pk).exists()
    assert Rollin.objects.filter(pk=rollin.pk).exists()


def test_a_roll_in_s_due_day_is_read_only(client, admin_user) -> None:
    rollin = Rollin.objects.get(order=order_with_rollin())
    client.force_login(admin_user)
    html = client.get(reverse("admin:rollin_rollin_change", args=[rollin.pk])).content.decode()
    assert 'name="due_at_0"' not in html
