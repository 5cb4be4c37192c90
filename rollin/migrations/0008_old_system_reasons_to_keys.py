"""History written before system reasons became keys: the same sentences, as keys, so they
read in English too. Connector errors move to the detail (coordinators only); their retry
time is not known afterwards, so they get the sentence without it."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OVERDUE = "Frist der Stufe „%(s)s“ überschritten"
UNASSIGNED = "Zuweisung aufgehoben"
UNREACHABLE = "Das Fachverfahren war nicht erreichbar."
REFUSED = "Das Fachverfahren hat den Schritt abgelehnt."


def forwards(apps: Any, schema_editor: Any) -> None:
    entries = apps.get_model("rollin", "HistoryEntry").objects.filter(reason_key="")
    for entry in entries.filter(action="overdue").select_related("to_stage").iterator():
        stage = entry.to_stage
        if stage is not None and entry.reason == OVERDUE % {"s": stage.label}:
            entry.reason_key = OVERDUE
            entry.reason_params = {"s": {"de": stage.label, "en": stage.label_en}}
            entry.reason = ""
            entry.save(update_fields=["reason", "reason_key", "reason_params"])
    entries.filter(action="assigned", reason=UNASSIGNED).update(reason_key=UNASSIGNED, reason="")
    for entry in entries.filter(action__in=["item_failed", "failing"]).exclude(reason=""):
        entry.detail = entry.reason
        entry.reason_key = REFUSED if entry.reason.startswith("HTTP 4") else UNREACHABLE
        entry.reason = ""
        entry.save(update_fields=["reason", "reason_key", "detail"])


class Migration(migrations.Migration):
    dependencies = [("rollin", "0007_system_reasons_as_key_and_params")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
