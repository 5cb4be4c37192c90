"""The roll-in pipeline: stage templates (data), each order's roll-in state, its history.

Only rollin.state.rollin_transition writes Rollin.status: it locks the row, checks the
transition table, applies the target and appends a HistoryEntry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from geo.models import Authority, District, State
from orders.models import Order
from portal.localized import localized_value
from portal.migration_operations import indexes_sorted_either_way
from portal.system_text import system_text
from portal.uploads import pdf_storage_name
from rollin.failures import connector_failure


class TranslatedLabelMixin:
    @property
    def display_label(self) -> str:
        """The label in the active language, for pages and messages."""
        return localized_value(self, "label")

    def __str__(self) -> str:
        return self.display_label


class StageTemplate(models.Model):
    """The stages a service's roll-in walks. A template without a service is the default."""

    name = models.CharField(_("Name"), max_length=150)
    service = models.OneToOneField(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_template",
        verbose_name=_("Leistung"),
        help_text=_("Leer lassen für die Standardvorlage, die alle anderen Leistungen nutzen."),
    )

    class Meta:
        verbose_name = _("Stufenvorlage")
        verbose_name_plural = _("Stufenvorlagen")

    def __str__(self) -> str:
        return self.name


class StageDefinition(TranslatedLabelMixin, models.Model):
    template = models.ForeignKey(StageTemplate, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    code = models.SlugField(_("Kürzel"))
    label = models.CharField(_("Bezeichnung"), max_length=100)
    label_en = models.CharField(_("Bezeichnung (englisch)"), max_length=100, blank=True)
    due_working_days = models.PositiveSmallIntegerField(_("Frist (Arbeitstage)"), default=10)
    is_live = models.BooleanField(
        _("Wirkbetrieb"), default=False, help_text=_("Ab dieser Stufe zählt die Behörde als live.")
    )
    # What code depends on is a flag, not a code operators may rename or another template
    # may spell differently.
    is_contract = models.BooleanField(
        _("Vertragsstufe"),
        default=False,
        help_text=_("Ist diese Stufe abgeschlossen, kann nur noch die Koordination stornieren."),
    )

    class Meta:
        ordering = ["template", "position"]
        verbose_name = _("Stufe")
        verbose_name_plural = _("Stufen")
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["template", "code"], name="stage_code_unique"),
        ]


class ItemDefinition(TranslatedLabelMixin, models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manuell")
        AUTOMATIC = "automatic", _("Automatisch")

    class Actor(models.TextChoices):
        STAFF = "staff", _("Behörde")
        COORDINATOR = "coordinator", _("Koordination")
        WORKER = "worker", _("System")

    class ConnectorAction(models.TextChoices):
        CONFIGURE = "configure", _("Zustellpunkt konfigurieren")
        PROBE = "probe", _("Erreichbarkeit prüfen")
        SEND_TEST = "send_test", _("Testantrag senden")
        CHECK_ACK = "check_ack", _("Empfangsbestätigung prüfen")

    class Role(models.TextChoices):
        """The few items code treats specially; one role per item, so a choice, not flags."""

        CONTRACT_UPLOAD = "contract_upload", _("Vertrag hochladen")
        COUNTERSIGNATURE = "countersignature", _("Vertrag gegenzeichnen")
        CONTACTS = "contacts", _("Ansprechpersonen benennen")
        GOLIVE_APPROVAL = "golive_approval", _("Wirkbetrieb freigeben")
        # Completed by the coordination when it records attendance of a training session.
        TRAINING = "training", _("Schulung")

    stage = models.ForeignKey(StageDefinition, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    code = models.SlugField(_("Kürzel"))
    label = models.CharField(_("Bezeichnung"), max_length=200)
    label_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    actor = models.CharField(_("Zuständig"), max_length=12, choices=Actor.choices)
    requires_document = models.BooleanField(_("Dokument erforderlich"), default=False)
    connector_action = models.CharField(
        _("Connector-Aktion"), max_length=12, choices=ConnectorAction.choices, blank=True
    )
    role = models.CharField(
        _("Rolle"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Nur für Punkte, die das Portal gesondert behandelt (z. B. Vertrag)."),
    )

    class Meta:
        ordering = ["stage", "position"]
        verbose_name = _("Checklistenpunkt")
        verbose_name_plural = _("Checklistenpunkte")
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="item_code_unique_in_stage"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="manual", connector_action="")
                    | (models.Q(kind="automatic", actor="worker") & ~models.Q(connector_action=""))
                ),
                name="item_kind_matches_action",
            ),
        ]


class RollinStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In Bearbeitung")
    WAITING = "waiting", _("Wartet auf Mitwirkung")
    FAILING = "failing", _("Fehler")
    ON_HOLD = "on_hold", _("Zurückgestellt")
    LIVE = "live", _("Wirkbetrieb")
    CANCELLED = "cancelled", _("Storniert")


# The statuses a hold can interrupt (and return to).
HOLDABLE = [RollinStatus.IN_PROGRESS, RollinStatus.WAITING, RollinStatus.FAILING]


class Rollin(models.Model):
    # Defined outside the class so the constraints in Meta can name its values.
    Status = RollinStatus

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="rollin")
    # Copies of the order's state and service, which never change: the coordination's order
    # list filters by them and sorts by due date, and one index on this table
    # (rollin_list_by_due) then serves a page of it without reading every order of a service.
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+", db_index=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", db_index=False)
    template = models.ForeignKey(StageTemplate, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(StageDefinition, on_delete=models.PROTECT, related_name="+")
    # A copy of the stage's position in its template (set on entry, kept right when an
    # operator reorders the template): the order list sorted by stage reads an index on it
    # (rollin_stage_first/last) instead of sorting every order by a joined table's column.
    # Nullable only so that SQLite adds the column without rebuilding the table (whose
    # PostgreSQL-only indexes it cannot create); every stage entry sets it.
    stage_position = models.PositiveSmallIntegerField(null=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # Status to return to when a hold is released: a hold resumes where it stopped.
    status_before_hold = models.CharField(max_length=12, choices=Status.choices, blank=True)
    hold_reason = models.TextField(_("Grund der Zurückstellung"), blank=True)
    stage_entered_at = models.DateTimeField()
    due_at = models.DateTimeField(_("Fällig am"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    live_at = models.DateTimeField(_("Im Wirkbetrieb seit"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_rollins",
        verbose_name=_("Zuständig (Koordination)"),
    )
    # A copy of the assignee's last name, set by the ASSIGN transition and kept right when a
    # user's name changes: the order list sorted by assignee reads an index on it
    # (rollin_assignee_first/last), not every order's join. NULL while nobody is assigned,
    # so those sort last as through the join; "" would be a user without a last name.
    assignee_last_name = models.CharField(  # noqa: DJ001
        max_length=150, null=True, blank=True, editable=False
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_progress_at = models.DateTimeField()
    # Last HistoryEntry.seq handed out; read and bumped under the row lock, so gap-free.
    last_seq = models.PositiveIntegerField(default=0)
    # A worker's claim on the current automatic item while it calls the connector outside any
    # transaction: others leave the order alone until `claimed_until`; the token lets the
    # claimant detect that its claim expired and was taken over before it records a result.
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Whose turn a waiting roll-in is: the actor of its next item (staff or coordinator), ""
    # in any other status. Set by the transition function with the status (rollin.waiting),
    # so "waiting for the coordination" is a column and a figure, not a walk over the items.
    waiting_on = models.CharField(max_length=12, choices=ItemDefinition.Actor.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Roll-in")
        verbose_name_plural = _("Roll-ins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RollinStatus.values), name="rollin_status_valid"
            ),
            # A hold resumes where it stopped: on hold exactly when there is a status to return
            # to, and only an active status can be held.
            models.CheckConstraint(
                condition=(
                    models.Q(status=RollinStatus.ON_HOLD, status_before_hold__in=HOLDABLE)
                    | (~models.Q(status=RollinStatus.ON_HOLD) & models.Q(status_before_hold=""))
                ),
                name="rollin_on_hold_has_status_before_hold",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RollinStatus.LIVE) | models.Q(live_at__isnull=False),
                name="rollin_live_has_live_at",
            ),
            models.CheckConstraint(
                condition=models.Q(status=RollinStatus.WAITING) | models.Q(waiting_on=""),
                name="rollin_waiting_on_only_while_waiting",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # Open roll-ins due in a time range, by state (dashboard.selectors.overdue_until,
            # on every start page and overview): the state comes with the index entry, so
            # PostgreSQL counts today's without reading their rows (6.5 -> 0.4 ms at 500,000).
            # A key column rather than INCLUDE, which SQLite would ignore with a warning.
            models.Index(fields=["status", "due_at", "state"], name="rollin_open_due"),
            models.Index(fields=["live_at"]),
            # Live (or any status) orders joined by order id without touching the heap.
            models.Index(fields=["status", "order"], name="rollin_status_order"),
            # The order list of a state and service, latest due first (dashboard.filters):
            # a page is the first rows of this index whatever the number of orders.
            models.Index(
                "state",
                "service",
                models.F("due_at").desc(nulls_last=True),
                models.F("order").desc(),
                name="rollin_list_by_due",
            ),
            # The list sorted by due date, status or stage, either way (dashboard.filters).
            *indexes_sorted_either_way("due_at", first="rollin_due_first", last="rollin_due_last"),
            *indexes_sorted_either_way(
                "status", first="rollin_status_first", last="rollin_status_last"
            ),
            *indexes_sorted_either_way(
                "stage_position", first="rollin_stage_first", last="rollin_stage_last"
            ),
            *indexes_sorted_either_way(
                "assignee_last_name", first="rollin_assignee_first", last="rollin_assignee_last"
            ),
            # The coordination's queue, longest at its stage first: the task list stops after
            # a page instead of walking every open item (dashboard.selectors.my_queue_for).
            models.Index(
                fields=["stage_entered_at", "id"],
                condition=models.Q(waiting_on="coordinator"),
                name="rollin_coordination_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}: {self.stage} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # What is written is what save_changes compares with next time.
        super().save(*args, **kwargs)
        written = kwargs.get("update_fields")
        fields = [
            f
            for f in self._meta.concrete_fields
            if written is None or f.name in written or f.attname in written
        ]
        as_written = getattr(self, "_as_written", None) or {}
        as_written.update((f.attname, getattr(self, f.attname)) for f in fields)
        self._as_written = as_written

    @property
    def failure_text(self) -> str:
        """Why the roll-in is failing, as a sentence for people (the detail is last_error)."""
        if not self.last_error:
            return ""
        retry_at = None if self.status == RollinStatus.FAILING else self.next_attempt_at
        return system_text(*connector_failure(self.last_error, retry_at))

    # --- what changed since the row was read (the transition writes only that) ----------------

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Rollin:
        # Django's documented hook for remembering what was loaded ("Customizing model
        # loading"): every value of a Rollin is immutable (no JSON), so a copy is not needed.
        rollin = super().from_db(db, field_names, values, **kwargs)
        rollin._as_written = dict(zip(field_names, values, strict=True))
        return rollin

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        # Read again, the row may differ from what this instance last wrote: save it whole.
        self._as_written = None

    def save_changes(self) -> None:
        """Save the fields that differ from the row as read or last written (a step of the
        worker changes five of twenty-five): a shorter statement to build and to run. A roll-in
        not read in full (new, or with deferred fields) is saved whole."""
        as_written = getattr(self, "_as_written", None)
        fields = self._meta.concrete_fields
        if as_written is None or len(as_written) < len(fields):
            self.save()
            return
        changed = [
            f.name
            for f in fields
            if not f.primary_key and getattr(self, f.attname) != as_written[f.attname]
        ]
        self.save(update_fields=[*changed, "updated_at"])


def _document_path(instance: RollinItem, filename: str) -> str:
    # The sender's file name is ignored (it was "../../evil.html" in Issue 13, finding 4).
    return pdf_storage_name(f"rollin/{instance.rollin.order_id}/{instance.definition_id}")


class RollinItem(models.Model):
    """One checklist item of one order, created when its stage is entered."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        DONE = "done", _("Erledigt")
        FAILED = "failed", _("Fehlgeschlagen")
        REJECTED = "rejected", _("Zurückgewiesen")

    # No index of its own: the indexes below begin with it.
    rollin = models.ForeignKey(
        Rollin, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    definition = models.ForeignKey(ItemDefinition, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(StageDefinition, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    document = models.FileField(upload_to=_document_path, blank=True)
    data = models.JSONField(default=dict, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage__position", "definition__position", "id"]
        verbose_name = _("Checklistenpunkt einer Bestellung")
        verbose_name_plural = _("Checklistenpunkte einer Bestellung")
        constraints = [
            models.UniqueConstraint(fields=["rollin", "definition"], name="one_item_per_definition")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # A roll-in's items at a stage (pipeline.current_items, every worker step). With
            # an index per column, PostgreSQL combined the roll-in's with the stage's when its
            # statistics lagged behind a batch of new orders, and read every order's items
            # at that stage (43,000 index entries for three rows, 1.5 ms per step).
            models.Index(fields=["rollin", "stage"], name="rollin_item_at_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.definition} ({self.get_status_display()})"

    @property
    def failure_text(self) -> str:
        """The last failed call as a sentence for people; empty when the last call went well."""
        if not self.last_error:
            return ""
        retry_at = None if self.status == self.Status.FAILED else self.next_attempt_at
        return system_text(*connector_failure(self.last_error, retry_at))


class HistoryEntry(models.Model):
    """Append-only log of every change of a roll-in; `seq` makes it gap-free per order."""

    class Action(models.TextChoices):
        PLACED = "placed", _("Bestellt")
        ADVANCED = "advanced", _("Nächste Stufe")
        ITEM_DONE = "item_done", _("Punkt erledigt")
        ITEM_FAILED = "item_failed", _("Punkt fehlgeschlagen")
        ITEM_REJECTED = "item_rejected", _("Punkt zurückgewiesen")
        FAILING = "failing", _("Fehler gemeldet")
        HELD = "held", _("Zurückgestellt")
        RESUMED = "resumed", _("Fortgesetzt")
        CANCELLED = "cancelled", _("Storniert")
        OVERDUE = "overdue", _("Frist überschritten")
        ASSIGNED = "assigned", _("Zugewiesen")
        REMINDED = "reminded", _("Erinnerung gesendet")
        # The worker found the status out of step with the checklist and corrected it.
        SETTLED = "settled", _("Status abgeglichen")

    rollin = models.ForeignKey(Rollin, on_delete=models.CASCADE, related_name="history")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=15, choices=Action.choices)
    from_stage = models.ForeignKey(
        StageDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        StageDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    item = models.ForeignKey(
        RollinItem, on_delete=models.PROTECT, null=True, blank=True, related_name="history"
    )
    # None means the worker acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What a person wrote, as written; a system-written reason is a key and parameters
    # instead (portal.system_text), put into words in each reader's language.
    reason = models.TextField(blank=True)
    reason_key = models.CharField(max_length=300, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    # Technical detail (a connector's HTTP status and body): for coordinators only.
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["rollin", "seq"]
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        constraints = [models.UniqueConstraint(fields=["rollin", "seq"], name="history_seq_unique")]
        indexes = [models.Index(fields=["action", "to_stage", "created_at"])]

    @property
    def display_reason(self) -> str:
        if self.reason_key:
            return system_text(self.reason_key, self.reason_params)
        return self.reason


class ConnectorEndpoint(models.Model):
    """Where the connector reaches an authority's Fachverfahren side."""

    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, related_name="connector_endpoint"
    )
    base_url = models.URLField(_("Basis-URL"))
    timeout_seconds = models.FloatField(_("Zeitlimit (s)"), default=10)

    class Meta:
        verbose_name = _("Connector-Endpunkt")
        verbose_name_plural = _("Connector-Endpunkte")

    def __str__(self) -> str:
        return f"{self.authority}: {self.base_url}"


class ConnectorLog(models.Model):
    """One call of the connector for an automatic item: what was asked and what came back."""

    item = models.ForeignKey(RollinItem, on_delete=models.CASCADE, related_name="connector_logs")
    action = models.CharField(max_length=12, choices=ItemDefinition.ConnectorAction.choices)
    request_url = models.CharField(max_length=500)
    request_body = models.JSONField(default=dict, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Connector-Protokoll")
        verbose_name_plural = _("Connector-Protokolle")


class SimulatorProfile(models.Model):
    """How the simulated Fachverfahren of one authority behaves (delay, failure rate)."""

    authority_code = models.CharField(_("Kennung der Behörde"), max_length=20, unique=True)
    delay_ms = models.PositiveIntegerField(_("Verzögerung (ms)"), default=0)
    failure_rate = models.FloatField(
        _("Fehlerquote"), default=0.0, help_text=_("Anteil der Aufrufe (0–1), die mit 503 enden.")
    )

    class Meta:
        verbose_name = _("Simulator-Profil")
        verbose_name_plural = _("Simulator-Profile")

    def __str__(self) -> str:
        return self.authority_code


class SimulatorSubmission(models.Model):
    """A test submission the simulated Fachverfahren received, once per idempotency key."""

    authority_code = models.CharField(max_length=20)
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)


# --- figures maintained with every change (rollin.figures) ----------------------------------
# The coordinator overview shows a matrix of services × stages, a few totals and a weekly
# series: a fixed number of figures, whatever the number of orders ever placed. These rows
# hold them, changed by rollin.figures in the transaction of the transition that changes them
# and rebuilt from the base tables by `manage.py rebuild_figures` (also the repair tool).
# The per-district coverage figure (active and live orders, covered inhabitants per district ×
# service by the level rule) depends on the territory too: a new Gebietsstand rebuilds it.


class StatusFigure(models.Model):
    """Roll-ins per state × service × stage × status. Keyed by the stage row, not its position:
    a template edit that reorders or relabels stages changes no stored figure."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(StageDefinition, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=RollinStatus.choices)
    orders = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Stufe × Status")
        verbose_name_plural = _("Kennzahlen Stufe × Status")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "service", "stage", "status"], name="status_figure_key"
            )
        ]


class WeekFigure(models.Model):
    """Orders placed and roll-ins gone live per state × calendar week (Monday, local time)."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    placed = models.IntegerField(default=0)
    live = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Woche")
        verbose_name_plural = _("Kennzahlen Woche")
        constraints = [models.UniqueConstraint(fields=["state", "week"], name="week_figure_key")]


class CoverageCounts(models.Model):
    """The counts of a coverage row: active and live orders, and the inhabitants live orders
    cover."""

    ordered = models.IntegerField(default=0)
    live = models.IntegerField(default=0)
    population_live = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class CoverageFigure(CoverageCounts):
    """Active and live orders and the inhabitants live orders cover, per district × service,
    counting only orders of current authorities that serve the service's level: the part of
    a coverage report that grows with the orders. The responsible authorities and the few
    exceptions of the responsibility table are read beside it (reports.coverage)."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("Kennzahl Abdeckung")
        verbose_name_plural = _("Kennzahlen Abdeckung")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "district", "service"], name="coverage_figure_key"
            )
        ]


class StateCoverageFigure(CoverageCounts):
    """The coverage rows of a state × service added up over its districts: the state totals
    (the overview's pace, the federal page, the ministry's start page) read 800 rows for
    16 states × 50 services instead of summing 20,000 district rows."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("Kennzahl Abdeckung des Landes")
        verbose_name_plural = _("Kennzahlen Abdeckung des Landes")
        constraints = [
            models.UniqueConstraint(fields=["state", "service"], name="state_coverage_figure_key")
        ]


class LiveDayFigure(models.Model):
    """Roll-ins gone live (+) and live ones cancelled (−) per state × service × local day, with
    the inhabitants they cover, for the same orders as CoverageFigure but cancelled ones too:
    the coverage trend and the pace add these up to any day."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    live = models.IntegerField(default=0)
    population_live = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Live-Tag")
        verbose_name_plural = _("Kennzahlen Live-Tag")
        constraints = [
            models.UniqueConstraint(fields=["state", "service", "day"], name="live_day_figure_key")
        ]
        # The days after a trend's window start (reports.coverage.live_on_days): a range of
        # this index, not every day of the states × services in the key above.
        indexes = [models.Index(fields=["day"], name="live_day_by_day")]


class LiveTotalFigure(models.Model):
    """The live-day rows of a state × service added up over all their days. The trend reads
    the live count at the end of a day as this total less the days after it: the rows of its
    window, not every day since the first go-live (reports.coverage.live_on_days)."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    live = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Live gesamt")
        verbose_name_plural = _("Kennzahlen Live gesamt")
        constraints = [
            models.UniqueConstraint(fields=["state", "service"], name="live_total_figure_key")
        ]


class DueFigure(models.Model):
    """Open roll-ins (neither live nor cancelled) per state × local due date: whatever is due
    before today is overdue, so the overdue total reads these rows plus today's due ones."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    open = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Fälligkeit")
        verbose_name_plural = _("Kennzahlen Fälligkeit")
        constraints = [models.UniqueConstraint(fields=["state", "due_on"], name="due_figure_key")]


class WaitingFigure(models.Model):
    """Waiting roll-ins per state × whose turn it is × whether a coordinator took them on: the
    coordination's start page counts its queue from these rows, not from the open items."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+")
    waiting_on = models.CharField(max_length=12, choices=ItemDefinition.Actor.choices)
    assigned = models.BooleanField()
    orders = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("Kennzahl Wartende")
        verbose_name_plural = _("Kennzahlen Wartende")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "waiting_on", "assigned"], name="waiting_figure_key"
            )
        ]
