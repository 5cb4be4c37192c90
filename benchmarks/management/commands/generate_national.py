"""Fill the database with Germany and a national order volume, for the benchmark.

    manage.py generate_national --services 50 --orders 500000 --seed 1 [--reset]

Imports all of Germany through `import_geodata` when it is missing, then writes orders,
roll-ins, checklist items and history in batches (COPY on PostgreSQL). Refuses to run when
orders exist, unless --reset (which deletes every order: bench databases only).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks import generator
from geo.models import Authority, Municipality, State
from orders.models import Order
from rollin.figures import figures_rebuild

GERMANY_MUNICIPALITIES = 10_000  # fewer than this means Germany has not been imported yet


class Command(BaseCommand):
    help = "Erzeugt bundesweite Testdaten (Leistungen, Bestellungen, Roll-ins, Verlauf)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=50)
        parser.add_argument("--orders", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=10000)
        parser.add_argument("--reset", action="store_true", help="Löscht alle Bestellungen vorher.")
        parser.add_argument(
            "--skip-geo",
            action="store_true",
            help="Vorhandene Geodaten nutzen, Deutschland nicht importieren (Tests).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if not options["skip_geo"]:
            self._ensure_germany()
        if Order.objects.exists():
            if not options["reset"]:
                raise CommandError(
                    "Es gibt bereits Bestellungen. Mit --reset werden ALLE gelöscht "
                    "(nur auf Benchmark-Datenbanken)."
                )
            self.stdout.write("Lösche vorhandene Bestellungen …")
            generator.reset_orders()
        if generator.default_template() is None:
            raise CommandError(
                "Keine Standard-Stufenvorlage (rollin). Erst `manage.py migrate` ausführen."
            )
        authorities = list(
            Authority.objects.filter(is_municipal_level=True)
            | Authority.objects.filter(is_district_level=True)
        )
        if not authorities:
            raise CommandError("Keine Behörden vorhanden: erst Geodaten importieren.")
        services = generator.ensure_services(options["services"])
        generator.open_states(services)  # the federal view counts open states only
        self.stdout.write(
            f"{len(authorities)} Behörden, {len(services)} Leistungen, "
            f"{options['orders']} Bestellungen (Seed {options['seed']})"
        )
        try:
            result = generator.generate_orders(
                services=services,
                authorities=authorities,
                orders=options["orders"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=self._progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        # COPY bypasses the transition function: the overview's figures are counted once here.
        done = 0

        def rebuilt(state: State) -> None:
            nonlocal done
            done += 1
            self._progress("Kennzahlen", done, State.objects.count())

        figures_rebuild(progress=rebuilt)
        self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Fertig in {elapsed:.1f} s: {result.orders} Bestellungen "
                f"({result.cancelled} storniert), {result.items} Checklistenpunkte, "
                f"{result.history} Verlaufseinträge; Kapazität {result.capacity} "
                "Behörde×Leistung-Paare."
            )
        )
        self.stdout.write(f"Roll-in-Status: {result.rollins_by_status}")
        path = generator.last_generation_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "seconds": round(elapsed, 1),
                    "orders": result.orders,
                    "services": result.services,
                    "items": result.items,
                    "history": result.history,
                    "rollins_by_status": result.rollins_by_status,
                },
                indent=2,
            )
        )

    def _ensure_germany(self) -> None:
        if Municipality.objects.count() >= GERMANY_MUNICIPALITIES and State.objects.count() >= 16:
            return
        if "import_geodata" not in get_commands():
            raise CommandError(
                "Deutschland ist nicht importiert und `import_geodata` gibt es (noch) nicht. "
                "Geodaten anders laden und --skip-geo verwenden."
            )
        self.stdout.write("Importiere Deutschland (import_geodata --states all) …")
        call_command("import_geodata", states="all", source="csv", stdout=self.stdout)

    def _progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r{label} [{bar}] {done}/{total}", ending="")
        self.stdout.flush()
