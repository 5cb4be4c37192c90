"""The roll-in transition table and pure guards.

The table says which action is allowed in which status and where it leads; the guards add
who may do it. rollin.state.rollin_transition applies both to every status change; pages use
the guards to decide which forms to show. Nothing here touches the database except reading
the user's state ids (kept per version of a signed-in user, accounts.session_user).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from accounts.session_user import state_ids_of
from rollin.models import ItemDefinition, Rollin, RollinItem, StageDefinition

if TYPE_CHECKING:
    from accounts.typing import AnyUser

Status = Rollin.Status


class Action:
    START = "start"  # a new roll-in (created in progress) takes its first derived status
    ADVANCE = "advance"  # the worker runs items / moves to the next stage
    COMPLETE_ITEM = "complete_item"
    REJECT_ITEM = "reject_item"
    FAIL = "fail"  # the worker gives up on an automatic item
    HOLD = "hold"
    RESUME = "resume"
    CANCEL = "cancel"
    ASSIGN = "assign"
    REMIND = "remind"
    FLAG_OVERDUE = "flag_overdue"

    ALL = (
        START,
        ADVANCE,
        COMPLETE_ITEM,
        REJECT_ITEM,
        FAIL,
        HOLD,
        RESUME,
        CANCEL,
        ASSIGN,
        REMIND,
        FLAG_OVERDUE,
    )


# Target "same" keeps the status; "derived" means the status follows from the checklist
# (in_progress while the worker has something to do, waiting while a person has); "restore"
# returns to the status before the hold. Pairs missing from the table are not allowed.
SAME = "same"
DERIVED = "derived"
RESTORE = "restore"

_ACTIVE = (Status.IN_PROGRESS, Status.WAITING)

TRANSITIONS: dict[tuple[str, str], str] = {}
for _status in _ACTIVE:
    TRANSITIONS.update(
        {
            (_status, Action.ADVANCE): DERIVED,  # or live, when the live stage is reached
            (_status, Action.COMPLETE_ITEM): DERIVED,
            (_status, Action.REJECT_ITEM): DERIVED,
            (_status, Action.FAIL): Status.FAILING,
            (_status, Action.HOLD): Status.ON_HOLD,
            (_status, Action.CANCEL): Status.CANCELLED,
            (_status, Action.ASSIGN): SAME,
            (_status, Action.REMIND): SAME,
            (_status, Action.FLAG_OVERDUE): SAME,
        }
    )
TRANSITIONS.update(
    {
        # Only a roll-in without history may start (a guard of rollin_start).
        (Status.IN_PROGRESS, Action.START): DERIVED,
        # A coordinator's resume of a failing order means "retry the automatic item now".
        (Status.FAILING, Action.RESUME): Status.IN_PROGRESS,
        (Status.FAILING, Action.HOLD): Status.ON_HOLD,
        (Status.FAILING, Action.CANCEL): Status.CANCELLED,
        (Status.FAILING, Action.ASSIGN): SAME,
        (Status.FAILING, Action.FLAG_OVERDUE): SAME,
        (Status.ON_HOLD, Action.RESUME): RESTORE,
        (Status.ON_HOLD, Action.CANCEL): Status.CANCELLED,
        (Status.ON_HOLD, Action.ASSIGN): SAME,
    }
)


def derived_status(stage: StageDefinition, next_item: ItemDefinition | None) -> str:
    """The status a DERIVED target resolves to: live at the live stage, waiting while a person
    has the next item, in progress while the worker has (or the stage is done)."""
    if stage.is_live:
        return Status.LIVE
    if next_item is not None and next_item.kind == ItemDefinition.Kind.MANUAL:
        return Status.WAITING
    return Status.IN_PROGRESS


def allowed(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def target(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


# --- who ------------------------------------------------------------------------------------


def _is_operator(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_operator)


def is_coordinator_for(user: AnyUser | None, rollin: Rollin) -> bool:
    """Coordinators of the order's state, and operators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if _is_operator(user):
        return True
    if not user.is_coordinator:
        return False
    # The ids alone, kept per version of a signed-in user: a coordinator's order page asks
    # this for every action it offers, and every hold and resume asks it once.
    return rollin.order.authority.state_id in state_ids_of(user)


def is_staff_for(user: AnyUser | None, rollin: Rollin) -> bool:
    """Approved staff of the ordering authority."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_authority_staff
        and user.authority_id == rollin.order.authority_id
    )


def contract_complete(rollin: Rollin) -> bool:
    """Whether the contract stage is behind the order (the line staff may cancel before)."""
    vertrag = next((s for s in rollin.template.stages.all() if s.is_contract), None)
    if vertrag is None:
        return rollin.stage.position > 1
    if rollin.stage.position < vertrag.position:
        return False
    if rollin.stage.position > vertrag.position:
        return True
    return all(
        i.status == RollinItem.Status.DONE for i in rollin.items.all() if i.stage_id == vertrag.pk
    )


# --- guards ---------------------------------------------------------------------------------


def can_cancel(rollin: Rollin, user: AnyUser | None) -> bool:
    if not allowed(rollin.status, Action.CANCEL):
        return False
    if is_coordinator_for(user, rollin):
        return True
    return is_staff_for(user, rollin) and not contract_complete(rollin)


def can_hold(rollin: Rollin, user: AnyUser | None) -> bool:
    return allowed(rollin.status, Action.HOLD) and is_coordinator_for(user, rollin)


def can_resume(rollin: Rollin, user: AnyUser | None) -> bool:
    return allowed(rollin.status, Action.RESUME) and is_coordinator_for(user, rollin)


def can_assign(rollin: Rollin, user: AnyUser | None) -> bool:
    return allowed(rollin.status, Action.ASSIGN) and is_coordinator_for(user, rollin)


def can_remind(rollin: Rollin, user: AnyUser | None) -> bool:
    return (
        allowed(rollin.status, Action.REMIND)
        and rollin.status == Status.WAITING
        and is_coordinator_for(user, rollin)
    )


def next_in_line(items: Iterable[RollinItem]) -> RollinItem | None:
    """The one rule of "next in line": items of a stage are done in order (by the definition's
    position, then id), so the next is the first item of the stage that is not done. `items`
    are one stage's items; the worker, the guards and whose_turn all ask this."""
    pending = [item for item in items if item.status != RollinItem.Status.DONE]
    return min(pending, key=lambda item: (item.definition.position, item.pk), default=None)


def next_in_line_q() -> Q:
    """The same rule as a filter on RollinItem querysets, for lists that cannot load each
    stage: no item of the same stage before it (by position, then id) is still not done.
    tests/rollin/test_next_in_line.py keeps both forms in agreement."""
    earlier_not_done = (
        RollinItem.objects.filter(rollin_id=OuterRef("rollin_id"), stage_id=OuterRef("stage_id"))
        .filter(
            Q(definition__position__lt=OuterRef("definition__position"))
            | Q(definition__position=OuterRef("definition__position"), pk__lt=OuterRef("pk"))
        )
        .exclude(status=RollinItem.Status.DONE)
    )
    return Q(~Exists(earlier_not_done)) & ~Q(status=RollinItem.Status.DONE)


def item_is_next(item: RollinItem, rollin: Rollin) -> bool:
    """Whether `item` (not done) is the one its stage waits for."""
    stage_items = [other for other in rollin.items.all() if other.stage_id == item.stage_id]
    return next_in_line(stage_items) == item


def may_act_as(item: RollinItem, rollin: Rollin, user: AnyUser | None) -> bool:
    actor = item.definition.actor
    if actor == ItemDefinition.Actor.STAFF:
        return is_staff_for(user, rollin)
    if actor == ItemDefinition.Actor.COORDINATOR:
        return is_coordinator_for(user, rollin)
    return False  # automatic items belong to the worker


def can_complete_item(item: RollinItem, user: AnyUser | None, rollin: Rollin | None = None) -> bool:
    rollin = rollin or item.rollin
    return (
        allowed(rollin.status, Action.COMPLETE_ITEM)
        and item.stage_id == rollin.stage_id
        and item.definition.kind == ItemDefinition.Kind.MANUAL
        and item.status in (RollinItem.Status.OPEN, RollinItem.Status.REJECTED)
        and item_is_next(item, rollin)
        and may_act_as(item, rollin, user)
    )


def can_record_training(
    item: RollinItem, user: AnyUser | None, rollin: Rollin | None = None
) -> bool:
    """The coordination confirms the training item of an authority that attended a session:
    the item the authority would confirm itself, completed in its turn like any other."""
    rollin = rollin or item.rollin
    return (
        allowed(rollin.status, Action.COMPLETE_ITEM)
        and item.stage_id == rollin.stage_id
        and item.definition.role == ItemDefinition.Role.TRAINING
        and item.status in (RollinItem.Status.OPEN, RollinItem.Status.REJECTED)
        and item_is_next(item, rollin)
        and is_coordinator_for(user, rollin)
    )


def is_rejectable(item: RollinItem, rollin: Rollin) -> bool:
    """A done staff item of the current stage: what the coordination may send back."""
    return (
        allowed(rollin.status, Action.REJECT_ITEM)
        and item.stage_id == rollin.stage_id
        and item.definition.kind == ItemDefinition.Kind.MANUAL
        and item.definition.actor == ItemDefinition.Actor.STAFF
        and item.status == RollinItem.Status.DONE
    )


def can_reject_item(item: RollinItem, user: AnyUser | None, rollin: Rollin | None = None) -> bool:
    """A coordinator sends a done staff item of the current stage back (e.g. wrong contract)."""
    rollin = rollin or item.rollin
    return is_rejectable(item, rollin) and is_coordinator_for(user, rollin)
