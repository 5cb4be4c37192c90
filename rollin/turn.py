"""Whose turn it is: for every roll-in, who acts next and what, phrased for the reader.

Computed from data, never from stage codes: the roll-in's status, the next open item of the
current stage (transitions.next_in_line) with its ItemDefinition.actor and kind, the stage's
is_live flag, the worker's retry time and the hold's history entry. The order page, the lists,
the start pages and the e-mails all read the same sentence from here.

Lists call `turns_for` (two queries for a whole page); one order calls `whose_turn`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.session_user import state_ids_of
from rollin.models import HistoryEntry, ItemDefinition, Rollin, RollinItem
from rollin.transitions import is_staff_for, next_in_line

if TYPE_CHECKING:
    from accounts.typing import AnyUser
    from orders.models import Order

Status = Rollin.Status


class Actor:
    """Who acts next (machine-readable, for CSS classes and tests)."""

    AUTHORITY = "authority"
    COORDINATION = "coordination"
    WORKER = "worker"
    NOBODY = "nobody"  # live or cancelled: nothing left to do


@dataclass(frozen=True)
class Turn:
    actor: str
    action_label: str  # what is to be done ("" when nothing is)
    sentence: str  # the whole status line for the reader
    # Whether the reader is the one to act (their authority's or their coordination's turn).
    readers_turn: bool = False


@dataclass(frozen=True)
class _Facts:
    """What a turn is computed from, read for one roll-in or for a page of them at once."""

    next_item: RollinItem | None
    hold: HistoryEntry | None


def whose_turn(rollin: Rollin, reader: AnyUser | None) -> Turn:
    """The turn of one roll-in, naming who put it on hold (one small query; e-mails)."""
    # A held roll-in's turn is told by its hold alone, any other's by its next item alone:
    # every hold and resume e-mails the staff, and reading both cost it a query more.
    on_hold = rollin.status == Status.ON_HOLD
    facts = _facts_for([rollin], with_holds=on_hold, with_items=not on_hold)[rollin.pk]
    states = _coordinated_states(reader)
    coordinates = states is None or rollin.order.authority.state_id in states
    return _turn(rollin, facts, reader, coordinates)


def turn_from_loaded(
    rollin: Rollin,
    reader: AnyUser | None,
    *,
    items: Iterable[RollinItem],
    history: Iterable[HistoryEntry],
    coordinates: bool,
) -> Turn:
    """The turn from what a page has loaded already (the roll-in's items with their
    definitions, its history with actors, whether the reader coordinates it): no query."""
    current = [i for i in items if i.stage_id == rollin.stage_id]
    holds = [e for e in history if e.action == HistoryEntry.Action.HELD]
    facts = _Facts(
        next_item=next_in_line(current),
        hold=max(holds, key=lambda e: e.seq, default=None),
    )
    return _turn(rollin, facts, reader, coordinates)


def turns_for(
    rollins: Iterable[Rollin], reader: AnyUser | None, *, coordinates: bool | None = None
) -> dict[int, Turn]:
    """The turn of each roll-in by its id, in one query whatever the number of roll-ins (two
    when `coordinates` is not given: the reader's states are read to find out). A hold is
    told with its reason; who held it, only where the history is read (whose_turn, the
    order page), so a list's queries do not depend on how many of its orders are held.

    `coordinates`: whether the reader coordinates every one of them, when the caller knows
    (the coordination's lists hold only orders of the coordinator's states; staff coordinate
    none). The roll-ins should come with `order__authority` and `stage` joined."""
    rollins = list(rollins)
    facts = _facts_for(rollins, with_holds=False)
    states = _coordinated_states(reader) if coordinates is None else None
    return {
        rollin.pk: _turn(
            rollin,
            facts[rollin.pk],
            reader,
            coordinates
            if coordinates is not None
            else states is None or rollin.order.authority.state_id in states,
        )
        for rollin in rollins
    }


def _coordinated_states(reader: AnyUser | None) -> set[int] | None:
    """The state ids the reader coordinates (None: all, for operators), once per list (kept
    per version of a signed-in reader, accounts.session_user)."""
    if reader is None or not reader.is_authenticated or not reader.is_active:
        return set()
    if reader.is_operator:
        return None
    if not reader.is_coordinator:
        return set()
    return set(state_ids_of(reader))


def _facts_for(
    rollins: list[Rollin], *, with_holds: bool, with_items: bool = True
) -> dict[int, _Facts]:
    """One query for any non-empty list (two `with_holds`), whatever its roll-ins' statuses:
    a page runs the same number of queries with more (or other) data. Without `with_items`,
    no item is read and none is next."""
    ids = [r.pk for r in rollins]
    open_items: dict[int, list[RollinItem]] = {}
    holds: dict[int, HistoryEntry] = {}
    if not ids:
        return {}
    items = (
        RollinItem.objects.filter(rollin_id__in=ids, stage_id=F("rollin__stage_id"))
        .exclude(status=RollinItem.Status.DONE)
        .select_related("definition")
    )
    for item in items if with_items else []:
        open_items.setdefault(item.rollin_id, []).append(item)
    held = HistoryEntry.objects.filter(rollin_id__in=ids, action=HistoryEntry.Action.HELD)
    # Each roll-in's latest hold alone: one held and resumed often has many.
    latest = held.filter(rollin_id=OuterRef("rollin_id")).order_by("-seq").values("seq")[:1]
    for entry in held.filter(seq=Subquery(latest)).select_related("actor") if with_holds else []:
        holds[entry.rollin_id] = entry
    return {
        r.pk: _Facts(next_item=next_in_line(open_items.get(r.pk, [])), hold=holds.get(r.pk))
        for r in rollins
    }


def _turn(rollin: Rollin, facts: _Facts, reader: AnyUser | None, coordinates: bool) -> Turn:
    if rollin.status == Status.CANCELLED:
        return Turn(Actor.NOBODY, "", _("Storniert – es ist nichts mehr zu tun."))
    if rollin.status == Status.LIVE or rollin.stage.is_live:
        since = _date(rollin.live_at)
        sentence = (
            _("Im Wirkbetrieb seit %(date)s – es ist nichts mehr zu tun.") % {"date": since}
            if since
            else _("Im Wirkbetrieb – es ist nichts mehr zu tun.")
        )
        return Turn(Actor.NOBODY, "", sentence)
    if rollin.status == Status.ON_HOLD:
        return _on_hold(rollin, facts.hold, coordinates)
    if rollin.status == Status.FAILING:
        action = _("erneut versuchen")
        sentence = _(
            "Das Fachverfahren war nicht erreichbar; die automatischen Versuche sind erschöpft. "
            "Wartet auf die Koordination: %(action)s"
        ) % {"action": action}
        return Turn(Actor.COORDINATION, action, sentence, coordinates)
    item = facts.next_item
    if item is None or item.definition.kind == ItemDefinition.Kind.AUTOMATIC:
        return _automatic(rollin, item)
    action = item.definition.display_label
    if item.definition.actor == ItemDefinition.Actor.COORDINATOR:
        sentence = _("Wartet auf die Koordination: %(action)s") % {"action": action}
        return Turn(Actor.COORDINATION, action, sentence, coordinates)
    if is_staff_for(reader, rollin):
        sentence = _("Wartet auf Ihre Behörde: %(action)s") % {"action": action}
        return Turn(Actor.AUTHORITY, action, sentence, readers_turn=True)
    sentence = _("Wartet auf %(authority)s: %(action)s") % {
        "authority": rollin.order.authority.name,
        "action": action,
    }
    return Turn(Actor.AUTHORITY, action, sentence)


def _automatic(rollin: Rollin, item: RollinItem | None) -> Turn:
    """The worker's turn: an automatic item, or a stage whose items are all done."""
    if item is None:
        action = _("Wechsel in die nächste Stufe")
        return Turn(Actor.WORKER, action, _("Läuft automatisch: %(action)s") % {"action": action})
    action = item.definition.display_label
    retry_at = item.next_attempt_at or rollin.next_attempt_at
    if retry_at is not None and (item.last_error or rollin.last_error):
        sentence = _(
            "Das Fachverfahren war nicht erreichbar; nächster Versuch um %(time)s (%(action)s)."
        ) % {"time": _datetime(retry_at), "action": action}
        return Turn(Actor.WORKER, action, sentence)
    return Turn(Actor.WORKER, action, _("Läuft automatisch: %(action)s") % {"action": action})


def _on_hold(rollin: Rollin, hold: HistoryEntry | None, coordinates: bool) -> Turn:
    action = _("fortsetzen")
    who = _holder(hold)
    reason = rollin.hold_reason or (hold.reason if hold else "")
    if hold is not None:
        sentence = _(
            "Zurückgestellt von %(who)s am %(date)s: %(reason)s. "
            "Wartet auf die Koordination: %(action)s"
        ) % {"who": who, "date": _date(hold.created_at), "reason": reason, "action": action}
    else:
        sentence = _("Zurückgestellt: %(reason)s. Wartet auf die Koordination: %(action)s") % {
            "reason": reason,
            "action": action,
        }
    return Turn(Actor.COORDINATION, action, sentence, coordinates)


def _holder(hold: HistoryEntry | None) -> str:
    if hold is None or hold.actor is None:
        return _("der Koordination")
    return hold.actor.get_full_name() or _("der Koordination")


def _date(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _datetime(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def orders_with_turns(
    orders: Iterable[Order], reader: AnyUser | None, *, coordinates: bool | None = None
) -> list[Order]:
    """A page of orders (with `rollin`, `rollin__stage` and `authority` joined), each given
    `turn` (None without a roll-in): for list templates, in one query for the page."""
    orders = list(orders)
    rollins = [r for r in (getattr(o, "rollin", None) for o in orders) if r is not None]
    turns = turns_for(rollins, reader, coordinates=coordinates)
    for order in orders:
        rollin = getattr(order, "rollin", None)
        order.turn = turns.get(rollin.pk) if rollin is not None else None  # type: ignore[attr-defined]
    return orders
