"""Prepare the demo's states (Bavaria, Saarland) for opening: territory, responsibility,
offerings, general contractor, target. Their coordinators are demo users (accounts.demo); the
roll-in demo opens the states before it places orders. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.demo_opening import demo_states_prepare


class Command(BaseCommand):
    help = "Bereitet die Demo-Länder (Bayern, Saarland) zur Eröffnung vor."

    def handle(self, *args: Any, **options: Any) -> None:
        states = demo_states_prepare()
        names = ", ".join(state.name for state in states) or "keine"
        self.stdout.write(f"Demo-Länder vorbereitet: {names}.")
