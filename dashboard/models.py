"""A bulk action's progress, so large selections can run in a worker and still report back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJob(models.Model):
    """One bulk action over a fixed list of orders (params["order_ids"], in processing order).

    `done + failed` is the position reached in that list; both are bumped in the same
    transaction as each order's action, so a rerun of the task continues where it stopped
    and never acts on an order twice.
    """

    class Action(models.TextChoices):
        ASSIGN_ME = "assign_me", _("Mir zuweisen")
        ASSIGN = "assign", _("Zuweisen an …")
        REMIND = "remind", _("Erinnerung an die Behörde senden")
        HOLD = "hold", _("Zurückstellen (mit Grund)")
        RESUME = "resume", _("Fortsetzen")
        COUNTERSIGN = "countersign", _("Vertrag gegenzeichnen (wo Dokument vorliegt)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet")
        RUNNING = "running", _("Läuft")
        DONE = "done", _("Abgeschlossen")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_jobs"
    )
    action = models.CharField(_("Aktion"), max_length=12, choices=Action.choices)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # [{"number": "...", "error": "..."}], one per failed order.
    errors = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Sammelaktion")
        verbose_name_plural = _("Sammelaktionen")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.done + self.failed}/{self.total})"

    @property
    def processed(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)
