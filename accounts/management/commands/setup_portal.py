"""Everything `make run` needs after `migrate`: reference data, catalog, demo users, demo roll-ins.

Each step leaves existing data alone, so re-running is fast and changes nothing.

It lives in accounts because it creates the demo users, and portal (notifications, e-mail,
pages) sits below accounts; the reference data comes from geo below both. Catalog and demo
roll-ins sit above and are loaded through their own commands, by name.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.demo import DemoLogin, demo_users_ensure
from accounts.services import site_name_portal
from geo.importers import GeoDataError
from geo.management.commands.import_geodata import parse_states
from geo.selectors import geodata_stock
from geo.services import geodata_import_files
from portal.broker import broker_folders_ensure


class Command(BaseCommand):
    help = "Richtet das Portal ein: Referenzdaten, Katalog, Demo-Benutzer und Demo-Einführungen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-demo", action="store_true", help="Keine Demo-Benutzer und -Daten anlegen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        self._prepare_var_dir()
        self._import_geodata()
        site = site_name_portal()
        self.stdout.write(f"Website: {site.name} ({site.domain}).")
        self._call_if_present("load_catalog")
        if not options["no_demo"]:
            # The demo states (Bavaria and Saarland) first: their territory and offerings, so
            # that their demo people can be created; the roll-in demo then opens them.
            self._call_if_present("demo_states")
            logins, created = demo_users_ensure()
            self.stdout.write(f"Demo-Benutzer: {created} neu, {len(logins) - created} vorhanden.")
            self._call_if_present("demo_rollin")
            self._print_logins(logins)
        self.stdout.write(
            self.style.SUCCESS(f"Einrichtung fertig in {time.monotonic() - started:.1f} s.")
        )

    def _prepare_var_dir(self) -> None:
        broker_folders_ensure()
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)

    def _import_geodata(self) -> None:
        data_dir = Path(settings.DIGITALMARKT_DATA_DIR)
        if not data_dir.is_dir():
            raise CommandError(
                f"Ordner mit den Referenzdaten fehlt: {data_dir}. DIGITALMARKT_DATA_DIR auf den "
                "Ordner mit germany_municipalities.csv setzen oder weglassen: dann gilt die "
                "mitgelieferte Kopie geo/data/de"
            )
        states = parse_states(settings.DIGITALMARKT_IMPORT_STATES)
        try:
            report = geodata_import_files(
                source="csv",
                states=states,
                data_dir=data_dir,
                skip_unchanged=True,
                progress=lambda message: self.stdout.write(message),
            )
        except GeoDataError as error:
            raise CommandError(
                f"Referenzdaten nicht importiert ({error}). DIGITALMARKT_DATA_DIR prüfen."
            ) from error
        if report is not None:
            summary = ", ".join(
                f"{name} {c.created} neu/{c.updated} geändert/{c.unchanged} unverändert"
                for name, c in report.counts.items()
            )
            self.stdout.write(f"Referenzdaten: {summary}")
        self.stdout.write(f"Referenzdaten im Bestand: {geodata_stock(states)}.")

    def _call_if_present(self, name: str) -> None:
        # Catalog and demo roll-ins are loaded by their apps' commands where those exist.
        if name in get_commands():
            call_command(name, stdout=self.stdout, stderr=self.stderr)

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            return
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write("Demo-Zugänge (nur zum Ausprobieren):")
        self.stdout.write(f"  {'E-Mail':<{width}}  {'Passwort':<24}  Rolle / Zuständigkeit")
        for login in logins:
            self.stdout.write(
                f"  {login.email:<{width}}  {login.password:<24}  {login.role} – {login.scope}"
            )
        self.stdout.write("")
