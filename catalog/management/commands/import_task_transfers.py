"""Import the list of municipalities with a transferred task (e.g. Art. 53 Abs. 2 BayBO).

manage.py import_task_transfers uebertragungen.csv    # columns: ags,service,legal_basis
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import TaskTransferError, task_transfers_import


class Command(BaseCommand):
    help = "Importiert Gemeinden mit übertragener Aufgabe (CSV: ags,service,legal_basis)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = task_transfers_import(options["file"])
        except TaskTransferError as error:
            raise CommandError(f"Import abgebrochen, nichts geändert: {error}") from error
        self.stdout.write(
            f"Übertragene Aufgaben: {result.created} neu, {result.updated} geändert, "
            f"{result.unchanged} unverändert."
        )
