"""Recompute the maintained figures (rollin.figures) from the base tables.

Run it after anything that changes many figures at once or bypasses the transition function:
a new Gebietsstand, rows written by COPY or SQL, a restore. It is also the repair tool: it
writes what the base tables say, so running it twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from geo.models import State
from rollin.figures import figures_rebuild


class Command(BaseCommand):
    help = "Kennzahlen der Übersicht aus den Bestellungen neu berechnen (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--states", default="all", help="Landesschlüssel, z. B. 09,08, oder all (Standard)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        states = State.objects.all()
        if options["states"] != "all":
            states = states.filter(ags__in=[s.strip() for s in options["states"].split(",")])
        state_ids = list(states.values_list("pk", flat=True))
        total = len(state_ids)
        done = 0

        def progress(state: State) -> None:
            nonlocal done
            done += 1
            filled = round(30 * done / total) if total else 30
            bar = "#" * filled + "-" * (30 - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} {state.name:<30}", ending="")

        written = figures_rebuild(state_ids=state_ids, progress=progress)
        self.stdout.write("")
        self.stdout.write(f"{written} Kennzahlzeilen für {total} Länder geschrieben.")
