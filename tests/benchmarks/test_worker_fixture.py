"""bench_worker's fixture creates and removes only its own rows (Issue 13, finding 10)."""

from __future__ import annotations

import pytest
from django.core.management import get_commands

from accounts.models import User
from benchmarks import generator
from benchmarks.worker_fixture import (
    fixture_authorities,
    fixture_orders,
    fixture_services,
    worker_fixture_create,
    worker_fixture_remove,
)
from catalog.models import Service
from orders.models import Order
from rollin import tasks as rollin_tasks
from rollin.models import Rollin
from tests.factories_orders import OrderFactory
from tests.factories_rollin import default_template

pytestmark = pytest.mark.django_db


def test_worker_fixture_removal_leaves_generate_national_services_and_orders(
    require_postgres,  # the removal's DELETE … = ANY(ids) is PostgreSQL's
) -> None:
    default_template()
    # What generate_national leaves in a benchmark database: "bench-leistung-…" services
    # with orders on them (which PROTECT the services from deletion).
    generated = generator.ensure_services(Service.objects.count() + 2)[-2:]
    assert all(s.slug.startswith(generator.BENCH_SERVICE_PREFIX) for s in generated)
    national_order = OrderFactory(service=generated[0], fachverfahren_other="Testverfahren")
    national_users = set(User.objects.values_list("pk", flat=True))

    order_ids = worker_fixture_create(6)
    assert fixture_orders().count() == 6 and fixture_services().count() == 10
    worker_fixture_remove()

    assert set(Service.objects.filter(pk__in=[s.pk for s in generated])) == set(generated)
    assert Order.objects.get(pk=national_order.pk).service == generated[0]
    assert set(User.objects.values_list("pk", flat=True)) == national_users
    assert not Order.objects.filter(pk__in=order_ids).exists()
    assert not Rollin.objects.filter(order_id__in=order_ids).exists()
    assert not fixture_services().exists() and not fixture_authorities().exists()


def test_benchmark_code_lives_in_the_benchmarks_app() -> None:
    assert get_commands()["bench_worker"] == "benchmarks"
    assert not hasattr(rollin_tasks, "noop")
