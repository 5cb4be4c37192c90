"""Whose turn it is (rollin.turn): computed from the checklist data, phrased for the reader."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from rollin.models import Rollin, RollinItem
from rollin.services import rollin_cancel, rollin_hold, rollin_resume
from rollin.turn import Actor, turns_for, whose_turn
from tests.factories import CoordinatorFactory, StaffFactory
from tests.factories_rollin import (
    ItemDefinitionFactory,
    RollinFactory,
    StageDefinitionFactory,
    coordinator_for,
)

pytestmark = pytest.mark.django_db


def _staff_of(rollin: Rollin):
    return StaffFactory(authority=rollin.order.authority)


def test_staff_read_their_own_turn_and_coordinators_read_the_authoritys_name() -> None:
    rollin = RollinFactory(at="vertrag")
    for_staff = whose_turn(rollin, _staff_of(rollin))
    assert for_staff.actor == Actor.AUTHORITY and for_staff.readers_turn
    assert for_staff.sentence == (
        "Wartet auf Ihre Behörde: Unterschriebenen Nachnutzungsvertrag hochladen"
    )
    for_coordination = whose_turn(rollin, coordinator_for(rollin.order))
    assert not for_coordination.readers_turn
    assert for_coordination.sentence == (
        f"Wartet auf {rollin.order.authority.name}: Unterschriebenen Nachnutzungsvertrag hochladen"
    )


def test_after_the_upload_it_is_the_coordinations_turn_to_countersign() -> None:
    rollin = RollinFactory(at="vertrag", contract_uploaded=True)
    coordinator = coordinator_for(rollin.order)
    turn = whose_turn(rollin, coordinator)
    assert turn.actor == Actor.COORDINATION and turn.readers_turn
    assert turn.sentence == "Wartet auf die Koordination: Vertrag gegenzeichnen"
    assert not whose_turn(rollin, _staff_of(rollin)).readers_turn
    # A coordinator of no (or another) state reads the same sentence but it is not theirs.
    assert not whose_turn(rollin, CoordinatorFactory(states=[])).readers_turn


def test_automatic_items_are_the_workers_and_a_retry_says_when() -> None:
    rollin = RollinFactory(at="anbindung")
    assert whose_turn(rollin, None).sentence == "Läuft automatisch: Zustellpunkt konfigurieren"
    retry_at = timezone.make_aware(datetime.datetime(2026, 12, 3, 14, 5))
    RollinItem.objects.filter(rollin=rollin).update(
        last_error="Zeitüberschreitung", next_attempt_at=retry_at, attempts=1
    )
    turn = whose_turn(rollin, None)
    assert turn.actor == Actor.WORKER
    assert turn.sentence.startswith("Das Fachverfahren war nicht erreichbar; nächster Versuch um")
    assert "14:05" in turn.sentence


def test_a_hold_names_who_held_and_why(settings) -> None:
    rollin = RollinFactory(at="vertrag")
    coordinator = coordinator_for(rollin.order)
    coordinator.first_name, coordinator.last_name = "Petra", "Koordinatorin"
    coordinator.save()
    rollin_hold(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage zur Finanzierung")
    rollin.refresh_from_db()
    turn = whose_turn(rollin, _staff_of(rollin))
    assert turn.actor == Actor.COORDINATION
    assert "Zurückgestellt von Petra Koordinatorin am" in turn.sentence
    assert "Rückfrage zur Finanzierung" in turn.sentence
    assert turn.sentence.endswith("Wartet auf die Koordination: fortsetzen")


def test_one_roll_in_reads_its_turn_in_one_query(django_assert_num_queries) -> None:
    """Every hold and resume e-mails the staff whose turn it is: a held roll-in's turn reads
    its hold alone, any other's its open items alone."""
    rollin = RollinFactory(at="vertrag")
    staff = _staff_of(rollin)
    rollin = Rollin.objects.select_related("order__authority", "stage").get(pk=rollin.pk)
    with django_assert_num_queries(1):
        assert whose_turn(rollin, staff).readers_turn
    coordinator = coordinator_for(rollin.order)
    coordinator.first_name, coordinator.last_name = "Petra", "Koordinatorin"
    coordinator.save()
    rollin_hold(rollin_id=rollin.pk, actor=coordinator, reason="Rückfrage")
    held = Rollin.objects.select_related("order__authority", "stage").get(pk=rollin.pk)
    with django_assert_num_queries(1):  # the latest hold, with who held it
        turn = whose_turn(held, staff)
    assert turn.actor == Actor.COORDINATION
    assert "Petra Koordinatorin" in turn.sentence and "Rückfrage" in turn.sentence


def test_a_roll_in_held_again_names_its_latest_hold() -> None:
    rollin = RollinFactory(at="vertrag")
    first, second = coordinator_for(rollin.order), coordinator_for(rollin.order)
    first.first_name, first.last_name = "Erste", "Koordinatorin"
    second.first_name, second.last_name = "Zweite", "Koordinatorin"
    first.save()
    second.save()
    rollin_hold(rollin_id=rollin.pk, actor=first, reason="Erster Grund")
    rollin_resume(rollin_id=rollin.pk, actor=first, reason="geklärt")
    rollin_hold(rollin_id=rollin.pk, actor=second, reason="Zweiter Grund")
    rollin.refresh_from_db()
    sentence = whose_turn(rollin, _staff_of(rollin)).sentence
    assert "Zweite Koordinatorin" in sentence and "Zweiter Grund" in sentence
    assert "Erste" not in sentence and "Erster Grund" not in sentence


def test_failing_live_and_cancelled() -> None:
    failing = RollinFactory(at="anbindung", failing=True)
    assert whose_turn(failing, None).action_label == "erneut versuchen"
    live = RollinFactory(live=True)
    turn = whose_turn(live, None)
    assert turn.actor == Actor.NOBODY and turn.sentence.startswith("Im Wirkbetrieb seit")
    cancelled = RollinFactory(at="bestellt")
    rollin_cancel(rollin_id=cancelled.pk, actor=coordinator_for(cancelled.order), reason="Doppelt")
    cancelled.refresh_from_db()
    assert whose_turn(cancelled, None).actor == Actor.NOBODY


def test_the_turn_follows_the_items_data_not_the_stage_codes() -> None:
    """A template whose codes mean nothing to the code: roles and flags decide."""
    stage = StageDefinitionFactory(code="zzz-eins")
    ItemDefinitionFactory(stage=stage, position=1, label="Formular A", actor="coordinator")
    ItemDefinitionFactory(stage=stage, position=2, label="Formular B", actor="staff")
    StageDefinitionFactory(template=stage.template, code="zzz-ende", live=True)
    rollin = RollinFactory(template=stage.template, at="zzz-eins")
    assert whose_turn(rollin, None).sentence == "Wartet auf die Koordination: Formular A"
    RollinItem.objects.filter(rollin=rollin, definition__position=1).update(status="done")
    assert whose_turn(rollin, _staff_of(rollin)).sentence == "Wartet auf Ihre Behörde: Formular B"


def test_a_list_reads_its_turns_in_a_constant_number_of_queries(
    django_assert_num_queries,
) -> None:
    rollins = [RollinFactory(at=at) for at in ("bestellt", "vertrag", "anbindung", "test")]
    rollins.append(RollinFactory(at="vertrag", on_hold=True))
    loaded = list(Rollin.objects.select_related("order__authority", "stage"))
    reader = coordinator_for(rollins[0].order)
    reader.states.all()
    with django_assert_num_queries(2):  # open items, the reader's states
        turns = turns_for(loaded, reader)
    with django_assert_num_queries(1):  # the list knows the reader coordinates them all
        turns_for(loaded, reader, coordinates=True)
    assert {turns[r.pk].actor for r in rollins} == {
        Actor.AUTHORITY,
        Actor.COORDINATION,
        Actor.WORKER,
    }


def test_the_sentence_is_in_the_active_language() -> None:
    rollin = RollinFactory(at="vertrag")
    with translation.override("en"):
        turn = whose_turn(rollin, _staff_of(rollin))
    assert turn.sentence == "Waiting for your authority: Upload the signed re-use agreement"
