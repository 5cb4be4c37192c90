"""Import Germany's municipalities, districts and authorities from official data.

manage.py import_geodata                      # prepared CSVs, states from settings
manage.py import_geodata --states all         # all of Germany
manage.py import_geodata --source xlsx --file AuszugGV4QAktuell.xlsx   # newer Gebietsstand
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from geo.importers import GeoDataError, parse_gebietsstand
from geo.selectors import geodata_stock
from geo.services import ImportReport, geodata_import_files


def parse_states(value: str | list[str]) -> list[str] | None:
    """'09,08' or ['09'] -> ['09', '08']; 'all' -> None (all of Germany)."""
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [item.strip() for item in items if item.strip()]
    if not items or any(item.lower() == "all" for item in items):
        return None
    for item in items:
        if len(item) != 2 or not item.isdigit():
            raise CommandError(f"Ungültiger Länderschlüssel {item!r} (zweistellig, z. B. 09).")
    return items


class Command(BaseCommand):
    help = "Importiert Länder, Bezirke, Kreise, Gemeinden und Behörden (Destatis GV-ISys)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--states",
            default=None,
            help="Länderschlüssel, kommagetrennt (09,08) oder 'all'; "
            "Standard: DIGITALMARKT_IMPORT_STATES.",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help="Arbeitsmappe AuszugGV…xlsx (--source xlsx) oder Ordner mit den CSV-Dateien.",
        )
        parser.add_argument(
            "--gebietsstand",
            default=None,
            help="Datum des Gebietsstands (JJJJ-MM-TT), wenn die Quelle es nicht nennt "
            "(Arbeitsmappe: Zeile 'Gebietsstand am …'; CSV-Ordner: gebietsstand.txt).",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Nichts tun, wenn dieselben Dateien schon importiert wurden.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        states = parse_states(options["states"] or settings.DIGITALMARKT_IMPORT_STATES)
        gebietsstand: datetime.date | None = None
        if options["gebietsstand"]:
            gebietsstand = parse_gebietsstand(options["gebietsstand"])
            if gebietsstand is None:
                raise CommandError(f"Ungültiger Gebietsstand {options['gebietsstand']!r}.")
        started = time.monotonic()
        try:
            report = geodata_import_files(
                source=options["source"],
                states=states,
                data_dir=Path(settings.DIGITALMARKT_DATA_DIR),
                path=options["file"],
                skip_unchanged=options["if_changed"],
                progress=lambda message: self.stdout.write(message),
                gebietsstand=gebietsstand,
            )
        except GeoDataError as error:
            raise CommandError(f"Import abgebrochen, nichts geändert: {error}") from error
        if report is not None:
            self._print_report(report)
        self.stdout.write(f"Bestand: {geodata_stock(states)}")
        self.stdout.write(
            self.style.SUCCESS(f"Import fertig in {time.monotonic() - started:.1f} s.")
        )

    def _print_report(self, report: ImportReport) -> None:
        self.stdout.write(f"{'':14}{'neu':>10}{'geändert':>10}{'unverändert':>13}")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:14}{counts.created:>10}{counts.updated:>10}{counts.unchanged:>13}"
            )
        if report.ended:
            assert report.gebietsstand is not None  # the import refuses ending without one
            self.stdout.write(
                self.style.WARNING(
                    f"Nicht mehr im Gebietsstand {report.gebietsstand:%d.%m.%Y}, beendet "
                    f"(Admin: Gebietsänderungen): {len(report.ended)} Gemeinden"
                )
            )
            for ended in report.ended:
                population = f"{ended.population:,}".replace(",", ".")
                successor = f", aufgegangen in {ended.successor}?" if ended.successor else ""
                self.stdout.write(f"  {ended.ags} {ended.name} ({population} Einwohner{successor})")
        if report.ended_authorities:
            names = ", ".join(report.ended_authorities)
            self.stdout.write(f"Behörden ohne Gebiet, beendet: {names}")
