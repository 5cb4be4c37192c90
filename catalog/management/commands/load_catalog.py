"""Load the five services and their reference data (idempotent; run by setup_portal)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.services import catalog_load


class Command(BaseCommand):
    help = "Lädt den Leistungskatalog (Leistungen, Voraussetzungen, Fachverfahren, Förderung)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = catalog_load()
        self.stdout.write(
            f"Katalog: {result.services_created} Leistungen neu, "
            f"{result.services_updated} aktualisiert."
        )
