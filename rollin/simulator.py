"""The simulated Fachverfahren: the authority's side of the connector, run by the project.

`simulate()` is the logic; rollin.views exposes it as JSON endpoints under
/rollin/simulator/<authority_code>/ (configure, probe, submissions, submissions/<key>/ack),
and InProcessConnector calls it directly when no web server runs (demo, benchmark).
Behaviour per authority comes from SimulatorProfile: a delay and a failure rate (503).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from rollin.models import SimulatorProfile, SimulatorSubmission


@dataclass(frozen=True)
class SimulatedResponse:
    status: int
    body: dict[str, Any]


def _profile(authority_code: str) -> SimulatorProfile:
    return SimulatorProfile.objects.filter(
        authority_code=authority_code
    ).first() or SimulatorProfile(authority_code=authority_code)


def simulate(
    authority_code: str,
    action: str,
    *,
    key: str = "",
    payload: dict[str, Any] | None = None,
    honour_delay: bool = True,
) -> SimulatedResponse:
    profile = _profile(authority_code)
    if honour_delay and profile.delay_ms:
        time.sleep(profile.delay_ms / 1000)
    if profile.failure_rate and random.random() < profile.failure_rate:
        return SimulatedResponse(503, {"error": "Fachverfahren vorübergehend nicht erreichbar"})
    if action == "configure":
        return SimulatedResponse(200, {"configured": True, "endpoint": f"sim:{authority_code}"})
    if action == "probe":
        return SimulatedResponse(200, {"reachable": True})
    if action == "send_test":
        if not key:
            return SimulatedResponse(400, {"error": "Idempotency-Key fehlt"})
        try:
            with transaction.atomic():
                SimulatorSubmission.objects.create(
                    authority_code=authority_code, key=key, payload=payload or {}
                )
            return SimulatedResponse(201, {"key": key, "received": True})
        except IntegrityError:  # the same submission again: answer as before, store nothing
            return SimulatedResponse(200, {"key": key, "received": True, "duplicate": True})
    if action == "check_ack":
        if SimulatorSubmission.objects.filter(authority_code=authority_code, key=key).exists():
            return SimulatedResponse(200, {"key": key, "acknowledged": True})
        return SimulatedResponse(404, {"error": "Kein Testantrag mit diesem Schlüssel"})
    return SimulatedResponse(404, {"error": "unbekannte Aktion"})
