"""Whose turn a waiting roll-in is: `Rollin.waiting_on`.

A roll-in waits (status WAITING) while a person has its next item; that person is the
authority's staff or the coordination, the item's actor. The transition function sets the
column with the status (rollin.state), so the coordination's queue is counted from a column
and a maintained figure instead of a walk over every open item (1.3 s at 500,000 orders).
`waiting_on_refresh` derives the column anew from the items, with the same rule as a query,
for what changes items' definitions outside a transition (a stage-template edit) and for
rows written by COPY; the figures' rebuild calls it, so it is also the repair.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet

from rollin.models import ItemDefinition, Rollin, RollinItem
from rollin.transitions import next_in_line_q

Actor = ItemDefinition.Actor
PEOPLE = (Actor.STAFF, Actor.COORDINATOR)
OPEN_ITEM_STATUSES = (RollinItem.Status.OPEN, RollinItem.Status.REJECTED)


def waiting_on_for(status: str, next_item: RollinItem | None) -> str:
    """The actor a roll-in in `status` waits for, given the next item of its stage."""
    if status != Rollin.Status.WAITING or next_item is None:
        return ""
    definition = next_item.definition
    return definition.actor if definition.kind == ItemDefinition.Kind.MANUAL else ""


def next_items_for(actor: str) -> QuerySet[RollinItem]:
    """Items that are the next in line of their roll-in's current stage and `actor`'s to do:
    open manual items with no earlier item of the stage still open (rollin.transitions)."""
    return RollinItem.objects.filter(
        next_in_line_q(),
        status__in=OPEN_ITEM_STATUSES,
        definition__kind=ItemDefinition.Kind.MANUAL,
        definition__actor=actor,
        stage_id=F("rollin__stage_id"),
    )


def next_item_is_for(actor: str) -> Exists:
    """The roll-in's next item of its current stage is an open manual item of `actor`."""
    return Exists(next_items_for(actor).filter(rollin_id=OuterRef("pk")))


def waiting_on_refresh(rollins: QuerySet[Rollin]) -> int:
    """Set `waiting_on` of the roll-ins from their items; returns how many rows changed.
    Idempotent; the caller rebuilds the figures of the states it touched."""
    waiting = rollins.filter(status=Rollin.Status.WAITING)
    changed = (
        rollins.exclude(status=Rollin.Status.WAITING).exclude(waiting_on="").update(waiting_on="")
    )
    for actor in PEOPLE:
        due = waiting.filter(next_item_is_for(actor)).exclude(waiting_on=actor)
        changed += due.update(waiting_on=actor)
    nobody = waiting.exclude(next_item_is_for(Actor.STAFF)).exclude(
        next_item_is_for(Actor.COORDINATOR)
    )
    changed += nobody.exclude(waiting_on="").update(waiting_on="")
    return changed
