"""Load the five services and their reference data (idempotent; run by setup_portal).

Existing rows are left as operators edited them; `--refresh` takes over the reference texts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from catalog.responsibility import responsibility_rebuild
from catalog.services import catalog_load


class Command(BaseCommand):
    help = "Lädt den Leistungskatalog (Leistungen, Voraussetzungen, Fachverfahren, Förderung)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Vorhandene Leistungen, Voraussetzungen und Fachverfahren mit den Texten der "
            "Referenzdaten überschreiben (Änderungen im Admin gehen verloren; Kosten bleiben).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = catalog_load(refresh=options["refresh"])
        self.stdout.write(
            f"Katalog: {result.services_created} Leistungen neu, "
            f"{result.services_updated} aktualisiert, {result.services_unchanged} unverändert."
        )
        rebuilt = responsibility_rebuild()
        self.stdout.write(
            f"Zuständigkeiten: {rebuilt.exceptions} Ausnahmen von der Ebenenregel "
            f"({rebuilt.created} neu, {rebuilt.updated} geändert, {rebuilt.deleted} entfernt)."
        )
