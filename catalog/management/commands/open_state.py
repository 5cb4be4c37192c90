"""Open a further state from the command line: the same steps as the operators' page.

    manage.py open_state 10 --actor admin@example.org --confirm-responsibility \
        --offer ewohnsitz --offer fuehrerschein --contractor "IT-Dienstleister" \
        --coordinator koordination@example.org --target-date 2026-12-31 --open

Every option is one step (catalog.opening); run it again to add what is missing. Without
--open it only reports which steps are done and which are missing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from catalog import opening
from catalog.models import Service


class Command(BaseCommand):
    help = "Eröffnet ein weiteres Land: Gebiet, Zuständigkeiten, Angebote, Koordination, Ziel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ags", help="Länderschlüssel, z. B. 10 für das Saarland")
        parser.add_argument("--actor", help="E-Mail des Betriebs-Kontos, das einlädt")
        parser.add_argument("--confirm-responsibility", action="store_true")
        parser.add_argument(
            "--offer",
            action="append",
            default=[],
            metavar="SLUG",
            help="Leistung anbieten, mit den kompatiblen Fachverfahren und dem Förderprogramm "
            "des Katalogs (mehrfach möglich)",
        )
        parser.add_argument("--contractor", help="Generalunternehmer")
        parser.add_argument("--coordinator", action="append", default=[], metavar="EMAIL")
        parser.add_argument("--target-date", type=datetime.date.fromisoformat)
        parser.add_argument("--target-services", type=int)
        parser.add_argument("--open", action="store_true", help="eröffnen, wenn vollständig")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _run(self, options: dict[str, Any]) -> None:
        ags = options["ags"]
        opening.opening_territory_import(ags=ags)
        state = opening.opening_state_get(ags)
        if state is None:
            raise CommandError(f"Das Gebiet von {ags} ist nach dem Import nicht vorhanden.")
        if options["confirm_responsibility"]:
            opening.opening_responsibility_confirm(state=state)
        for slug in options["offer"]:
            service = Service.objects.filter(slug=slug).first()
            if service is None:
                raise CommandError(f"Leistung {slug} gibt es nicht.")
            opening.opening_service_offer_from_catalog(state=state, service=service)
        if options["contractor"]:
            opening.opening_contractor_set(state=state, general_contractor=options["contractor"])
        if options["coordinator"]:
            actor = User.objects.filter(email=(options["actor"] or "").lower()).first()
            if actor is None:
                raise CommandError("Für Einladungen bitte --actor mit einem Betriebs-Konto.")
            for email in options["coordinator"]:
                opening.opening_coordinator_invite(actor=actor, state=state, email=email)
        if options["target_date"] or options["target_services"]:
            opening.opening_target_set(
                state=state,
                target_date=options["target_date"] or state.target_date,
                target_services=options["target_services"] or state.target_services,
            )
        if options["open"]:
            opening.state_open(state=state)
        state.refresh_from_db()
        for step in opening.opening_steps(state):
            mark = "erledigt" if step.done else "FEHLT"
            self.stdout.write(f"  {step.label}: {mark} – {step.detail}")
        self.stdout.write(
            f"{state.name}: {'eröffnet' if state.is_open else 'noch nicht eröffnet'}."
        )
