"""Which models the audit trail records, and which of their fields."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

# Secrets and noise never go into the log: a password hash is a secret, last_login changes
# on every sign-in (which is logged separately as its own event).
USER_EXCLUDED_FIELDS = ["password", "last_login"]

# The worker's bookkeeping on a roll-in (its claim, retry clock, history counter) changes on
# every step; the roll-in's own append-only history already records each real change, so
# logging these would only bury the people's changes and cost the worker a write per step.
# A save that touches nothing but these fields leaves no audit entry.
WORKER_BOOKKEEPING_FIELDS = {
    "rollin.Rollin": [
        "claim_token",
        "claimed_until",
        "next_attempt_at",
        "last_progress_at",
        "last_seq",
        "updated_at",
    ],
    "rollin.RollinItem": ["attempts", "next_attempt_at"],
}

AUDITED_MODELS = [
    "orders.Order",
    "accounts.Membership",
    "accounts.CoordinatorInvitation",
    "geo.State",
    "catalog.ServiceOffering",
    "catalog.Service",
    "catalog.CostItem",
    "catalog.Fachverfahren",
    "catalog.FundingProgramme",
    "catalog.Prerequisite",
    "rollin.StageTemplate",
    "rollin.StageDefinition",
    "rollin.ItemDefinition",
    "rollin.Rollin",
    "rollin.RollinItem",
    "outreach.TrainingSession",
    "outreach.SeatBooking",
    "outreach.Campaign",
    "outreach.ContactAddress",
    "outreach.OptOut",
]


def register_audited_models() -> None:
    user_model = apps.get_model("accounts", "User")
    if not auditlog.contains(user_model):
        # Role, authority and states decide what a person may see: every change is recorded.
        auditlog.register(user_model, exclude_fields=USER_EXCLUDED_FIELDS, m2m_fields={"states"})
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=WORKER_BOOKKEEPING_FIELDS.get(label, []))
