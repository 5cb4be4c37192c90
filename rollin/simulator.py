"""The simulated Fachverfahren: the authority's side of the connector, run by the project.

`simulate()` is the logic; rollin.views exposes it as JSON endpoints under
/rollin/simulator/<authority_code>/ (configure, probe, submissions, submissions/<key>/ack),
and InProcessConnector calls it directly when no web server runs (demo, benchmark).
Behaviour per authority comes from SimulatorProfile: a delay and a failure rate (503).

Over HTTP, configure, submissions and ack answer only a caller that sends the shared secret
(`Authorization: Bearer …`, see `simulator_secret`): anonymously, a forged submission was
stored and a later ack confirmed a test that was never sent, and the ack told whether an
order number existed (Issue 13, finding 5). The connector sends the secret to the simulator
only, never to an authority's own endpoint.
"""

from __future__ import annotations

import hmac
import os
import random
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from rollin.models import SimulatorProfile, SimulatorSubmission


@dataclass(frozen=True)
class SimulatedResponse:
    status: int
    body: dict[str, Any]


SECRET_FILE_NAME = "rollin-simulator-secret"


def simulator_secret() -> str:
    """ROLLIN_SIMULATOR_SECRET, else a secret generated once under VAR_DIR.

    The file lets web server and worker of one checkout (`make run`) agree without any
    configuration, and unlike a value derived from the development SECRET_KEY (which is in
    the repository) nobody else can compute it.
    """
    configured: str = settings.ROLLIN_SIMULATOR_SECRET
    if configured:
        return configured
    return _secret_from_file(Path(settings.VAR_DIR) / SECRET_FILE_NAME)


def _secret_from_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # 0600
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32))
            # link() fails if the file exists: when web and worker start together, the first
            # one's secret stays and the other reads it, never a half-written file.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def simulator_auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {simulator_secret()}"}


def simulator_secret_matches(authorization: str) -> bool:
    """Constant-time check of an Authorization header; an empty secret matches nothing."""
    expected = simulator_secret()
    scheme, _, token = authorization.partition(" ")
    if not expected or scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def simulator_profile(authority_code: str) -> SimulatorProfile:
    """How the simulated Fachverfahren of an authority behaves (delay, failure rate)."""
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
    profile: SimulatorProfile | None = None,
) -> SimulatedResponse:
    """`profile`: the authority's, if the caller read it already (simulator_profile)."""
    profile = profile or simulator_profile(authority_code)
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
