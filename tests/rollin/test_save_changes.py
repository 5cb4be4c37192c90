"""Rollin.save_changes: a transition writes the fields it changed, and never leaves one out.

The comparison is with the row as read (from_db) or as this instance last wrote it; any
other way the instance learns the row (refresh_from_db) makes the next save a whole one.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollin.models import Rollin
from tests.factories_rollin import order_with_rollin

pytestmark = pytest.mark.django_db


def _updates(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def _read(order_id: int) -> Rollin:
    return Rollin.objects.get(order_id=order_id)


def test_only_the_changed_fields_are_written() -> None:
    order = order_with_rollin()
    rollin = _read(order.pk)
    rollin.last_error = "Zeitüberschreitung"
    with CaptureQueriesContext(connection) as captured:
        rollin.save_changes()
    (update,) = _updates(captured)
    assert '"last_error"' in update
    assert '"updated_at"' in update
    assert '"status"' not in update
    assert '"stage_id"' not in update
    assert _read(order.pk).last_error == "Zeitüberschreitung"


def test_a_value_set_back_after_a_partial_save_is_written() -> None:
    order = order_with_rollin()
    rollin = _read(order.pk)
    rollin.claim_token = "a" * 32
    rollin.save(update_fields=["claim_token"])
    rollin.claim_token = ""  # what it was when read, but not what was written last
    rollin.save_changes()
    assert _read(order.pk).claim_token == ""


def test_a_change_left_out_of_a_partial_save_is_still_written() -> None:
    order = order_with_rollin()
    rollin = _read(order.pk)
    rollin.last_error = "Fehler"
    rollin.claim_token = "b" * 32
    rollin.save(update_fields=["claim_token"])
    rollin.save_changes()
    assert _read(order.pk).last_error == "Fehler"


def test_after_refresh_from_db_the_next_save_is_whole() -> None:
    order = order_with_rollin()
    rollin = _read(order.pk)
    Rollin.objects.filter(pk=rollin.pk).update(last_error="von anderswo")
    rollin.refresh_from_db()
    rollin.last_error = ""  # the value the instance was first read with
    with CaptureQueriesContext(connection) as captured:
        rollin.save_changes()
    (update,) = _updates(captured)
    assert '"status"' in update  # written whole
    assert _read(order.pk).last_error == ""


def test_a_roll_in_read_with_deferred_fields_is_saved_whole() -> None:
    order = order_with_rollin()
    rollin = Rollin.objects.only("pk", "last_error", "updated_at").get(order_id=order.pk)
    rollin.last_error = "teilweise gelesen"
    rollin.save_changes()
    assert _read(order.pk).last_error == "teilweise gelesen"


def test_with_nothing_changed_only_the_time_stamp_moves() -> None:
    order = order_with_rollin()
    rollin = _read(order.pk)
    before = rollin.updated_at
    with CaptureQueriesContext(connection) as captured:
        rollin.save_changes()
    (update,) = _updates(captured)
    assert update.split(" WHERE ")[0].count("=") == 1
    assert _read(order.pk).updated_at >= before
