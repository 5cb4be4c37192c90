"""How automatic items reach the authority's side.

A connector performs one action (configure, probe, send_test, check_ack) for one item and
describes the call as an unsaved ConnectorLog row in its result; the worker saves it in the
transaction that records the result (rollin.worker), so a call costs no commit of its own.
Calls carry an idempotency key built from order, stage and item, so a repeated call (retry,
a worker killed mid-call) has no second effect.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from django.conf import settings

from orders.models import Order
from rollin.models import ConnectorEndpoint, ConnectorLog, RollinItem, SimulatorProfile
from rollin.simulator import simulate, simulator_auth_headers, simulator_profile


@dataclass(frozen=True)
class ConnectorResult:
    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    log: ConnectorLog | None = None  # the call, to be saved by whoever records the result


class Connector(Protocol):
    def run(self, *, item: RollinItem) -> ConnectorResult: ...


def idempotency_key(item: RollinItem) -> str:
    return f"{item.rollin.order.number}:{item.stage.code}:{item.definition.code}"


def submission_key(item: RollinItem) -> str:
    """send_test and check_ack of one stage talk about the same test submission."""
    return f"{item.rollin.order.number}:{item.stage.code}:test"


def _request_for(item: RollinItem) -> tuple[str, str, dict[str, Any]]:
    """(method, path, body) of the item's action."""
    action = item.definition.connector_action
    order = item.rollin.order
    body = {"order": order.number, "service": order.service.slug, "item": item.definition.code}
    if action == "configure":
        return "POST", "configure", body
    if action == "probe":
        return "GET", "probe", {}
    if action == "send_test":
        return "POST", "submissions", {**body, "key": submission_key(item)}
    return "GET", f"submissions/{submission_key(item)}/ack", {}


def _log(
    item: RollinItem,
    url: str,
    body: dict[str, Any],
    status: int | None,
    response: str,
    error: str,
    started: float,
) -> ConnectorLog:
    return ConnectorLog(
        item=item,
        action=item.definition.connector_action,
        request_url=url[:500],
        request_body=body,
        response_status=status,
        response_body=response[:5000],
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


class HttpConnector:
    """Speaks JSON over HTTP to the authority's endpoint, with timeouts and transport retries."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Sent with every call and never logged (ConnectorLog keeps URL and body only).
        self.headers = dict(headers or {})
        # Connection-level retries only (refused, reset); HTTP errors go to the item's backoff.
        self.transport = transport or httpx.HTTPTransport(retries=2)

    def run(self, *, item: RollinItem) -> ConnectorResult:
        method, path, body = _request_for(item)
        url = f"{self.base_url}/{path}"
        started = time.monotonic()
        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client:
                response = client.request(
                    method,
                    url,
                    json=body if method == "POST" else None,
                    headers={**self.headers, "Idempotency-Key": idempotency_key(item)},
                )
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
            log = _log(item, url, body, None, "", error, started)
            return ConnectorResult(ok=False, error=error, log=log)
        error = "" if response.is_success else f"HTTP {response.status_code}: {response.text[:300]}"
        log = _log(item, url, body, response.status_code, response.text, error, started)
        if error:
            return ConnectorResult(ok=False, error=error, log=log)
        try:
            data = response.json()
        except ValueError:
            data = {}
        return ConnectorResult(ok=True, data={"response": data}, log=log)


class InProcessConnector:
    """Calls the simulated Fachverfahren directly (demo and benchmark without a web server)."""

    def __init__(self, *, honour_delay: bool = False) -> None:
        self.honour_delay = honour_delay
        # Read once per connector, i.e. per walk of an order (rollin_advance): the
        # simulated side's behaviour does not change within a walk's second.
        self.profiles: dict[str, SimulatorProfile] = {}

    def run(self, *, item: RollinItem) -> ConnectorResult:
        _method, path, body = _request_for(item)
        code = item.rollin.order.authority.code
        started = time.monotonic()
        if code not in self.profiles:
            self.profiles[code] = simulator_profile(code)
        answer = simulate(
            code,
            item.definition.connector_action,
            key=submission_key(item) if "submission" in path else idempotency_key(item),
            payload=body,
            honour_delay=self.honour_delay,
            profile=self.profiles[code],
        )
        ok = 200 <= answer.status < 300
        error = "" if ok else f"HTTP {answer.status}: {json.dumps(answer.body)}"
        log = _log(
            item,
            f"inprocess:{code}/{path}",
            body,
            answer.status,
            json.dumps(answer.body),
            error,
            started,
        )
        data = {"response": answer.body} if ok else {}
        return ConnectorResult(ok=ok, data=data, error=error, log=log)


def connector_for(order: Order) -> Connector:
    """The authority's configured endpoint, else the project's simulated Fachverfahren."""
    if settings.ROLLIN_CONNECTOR == "inprocess":
        return InProcessConnector(honour_delay=True)
    endpoint = ConnectorEndpoint.objects.filter(authority_id=order.authority_id).first()
    if endpoint is not None:
        return HttpConnector(endpoint.base_url, timeout=endpoint.timeout_seconds)
    base = settings.ROLLIN_SIMULATOR_BASE_URL.rstrip("/")
    # The simulator's secret goes to the simulator only, not to an authority's endpoint above.
    return HttpConnector(
        f"{base}/{order.authority.code}",
        timeout=settings.ROLLIN_CONNECTOR_TIMEOUT,
        headers=simulator_auth_headers(),
    )
