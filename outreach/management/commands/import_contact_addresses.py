"""Import official e-mail addresses of authorities: a CSV with the columns `key` (AGS or ARS
as in the authority's official key) and `email`, separated by ';' or ','. All or nothing: a
bad row stops the import, naming the row, and changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outreach.campaigns import contact_addresses_import


class Command(BaseCommand):
    help = "Importiert Kontaktadressen von Behörden (CSV: key;email)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["file"].read_text(encoding="utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
        reader = csv.DictReader(text.splitlines(), dialect=dialect)
        if not reader.fieldnames or not {"key", "email"} <= set(reader.fieldnames):
            raise CommandError("Die Datei braucht die Spalten key und email.")
        count, errors = contact_addresses_import(
            (row["key"] or "", row["email"] or "") for row in reader
        )
        if errors:
            raise CommandError("\n".join(errors))
        self.stdout.write(f"{count} Kontaktadressen importiert.")
