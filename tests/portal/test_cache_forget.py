"""portal.cache.cache_forget: cached values derived from rows are forgotten when the writer's
transaction commits, and not before (production's rule; tests forget at once as well)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from portal.cache import cache_forget


@pytest.fixture
def production_rule(settings):
    settings.CACHE_FORGET_AT_ONCE = False


@pytest.mark.django_db(transaction=True)
def test_a_transaction_forgets_when_it_commits_not_before(production_rule) -> None:
    cache.set("derived", "from the old rows")
    with transaction.atomic():
        cache_forget(["derived"])
        # Readers still see the old rows until the commit: what was derived from them holds.
        assert cache.get("derived") == "from the old rows"
    assert cache.get("derived") is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_forgets_nothing(production_rule) -> None:
    cache.set("derived", "from the rows, unchanged")
    with pytest.raises(RuntimeError), transaction.atomic():
        cache_forget(["derived"])
        raise RuntimeError("rolled back")
    assert cache.get("derived") == "from the rows, unchanged"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_forgets_at_once(production_rule) -> None:
    cache.set("derived", "old")
    cache_forget(["derived"])
    assert cache.get("derived") is None


@pytest.mark.django_db
def test_in_tests_it_forgets_at_once_within_the_transaction_that_never_commits() -> None:
    cache.set("derived", "old")
    with transaction.atomic():
        cache_forget(["derived"])
        assert cache.get("derived") is None
