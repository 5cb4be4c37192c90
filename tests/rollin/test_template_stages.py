"""The worker reads a template's stages and item definitions once per process and version of
the reference data, not twice per walk; an operator's edit is seen by the next walk."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rollin.connectors import InProcessConnector
from rollin.models import ItemDefinition, StageDefinition
from rollin.pipeline import next_stage, template_stages
from rollin.worker import rollin_advance
from tests.factories_rollin import (
    ItemDefinitionFactory,
    default_template,
    order_at_anbindung,
)

pytestmark = pytest.mark.django_db

DEFINITIONS = ('FROM "rollin_stagedefinition"', 'FROM "rollin_itemdefinition"')


def _definition_reads(captured: CaptureQueriesContext) -> int:
    return sum(1 for q in captured.captured_queries if any(t in q["sql"] for t in DEFINITIONS))


def test_a_second_walk_reads_no_definitions() -> None:
    first, second = order_at_anbindung(), order_at_anbindung()
    rollin_advance(order_id=first.pk, connector=InProcessConnector())

    with CaptureQueriesContext(connection) as captured:
        rollin = rollin_advance(order_id=second.pk, connector=InProcessConnector())

    assert rollin is not None and rollin.stage.code == "test"
    assert _definition_reads(captured) == 0


def test_an_item_added_by_an_operator_is_created_by_the_next_walk() -> None:
    template = default_template()
    before = template_stages(template)
    konfiguration = next(s for s in before if s.code == "konfiguration")
    added = ItemDefinitionFactory(
        stage=konfiguration, code="protokoll", position=99, kind=ItemDefinition.Kind.MANUAL
    )
    order = order_at_anbindung()

    rollin_advance(order_id=order.pk, connector=InProcessConnector())

    after = next(s for s in template_stages(template) if s.code == "konfiguration")
    assert added in after.items.all()
    assert order.rollin.items.filter(definition=added).exists()


def test_a_stage_edit_is_read_afresh() -> None:
    template = default_template()
    stages = template_stages(template)
    assert template_stages(template) is stages  # kept while nothing changed
    test = StageDefinition.objects.get(template=template, code="test")
    test.label = "Abnahmetest"
    test.save()

    renamed = next(s for s in template_stages(template) if s.code == "test")
    assert renamed.label == "Abnahmetest"


def test_a_stage_the_roll_in_stands_at_but_the_kept_list_lacks_is_read_afresh() -> None:
    # E.g. stages re-created by a data migration, whose historical models send no signals.
    template = default_template()
    kept = template_stages(template)
    test = next(s for s in kept if s.code == "test")
    kept.remove(test)  # the kept list as if read before this stage existed
    order = order_at_anbindung()
    order.rollin.stage = test

    following = next_stage(order.rollin)

    assert following is not None and following.code == "schulung"
    assert test.pk in [s.pk for s in template_stages(template)]  # the list was read again
