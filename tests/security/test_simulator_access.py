"""The simulated Fachverfahren answers writes and acks only to the connector (Issue 13, 5).

Anonymously, a forged submission got 201 and a later ack confirmed a test that was never
sent, 4 MB bodies were taken, and the ack told whether an order number existed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.urls import reverse

from rollin.connectors import HttpConnector, connector_for
from rollin.models import ConnectorEndpoint, SimulatorSubmission
from rollin.simulator import SECRET_FILE_NAME, simulator_secret
from tests import factories
from tests.factories_rollin import order_with_rollin

pytestmark = pytest.mark.django_db

SECRET = "geteiltes-geheimnis-fuer-den-simulator-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _simulator(settings) -> None:
    settings.ROLLIN_SIMULATOR_HTTP = True
    settings.ROLLIN_SIMULATOR_SECRET = SECRET


@pytest.fixture
def authority():
    return factories.LandratsamtFactory()


def bearer(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def submit(client, code: str, body: bytes, **headers: str):
    url = reverse("rollin:sim_submissions", args=[code])
    return client.generic("POST", url, body, content_type="application/json", **headers)


def ack(client, code: str, key: str, **headers: str):
    return client.get(reverse("rollin:sim_ack", args=[code, key]), **headers)


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("falsch"), bearer(""), {"HTTP_AUTHORIZATION": SECRET}, bearer(SECRET + "x")],
    ids=["none", "wrong", "empty", "no-scheme", "longer"],
)
def test_a_forged_submission_is_refused_and_confirms_nothing_later(
    client, authority, headers
) -> None:
    forged = submit(client, authority.code, b'{"key": "DM-2026-000001:test:test"}', **headers)
    configure = client.post(
        reverse("rollin:sim_configure", args=[authority.code]), "{}", "application/json", **headers
    )

    assert forged.status_code == 401
    assert forged["WWW-Authenticate"].startswith("Bearer")
    assert configure.status_code == 401
    assert not SimulatorSubmission.objects.exists()
    # The connector's own ack later finds no test that was never sent.
    assert ack(client, authority.code, "DM-2026-000001:test:test", **bearer()).status_code == 404


def test_the_connector_with_the_secret_submits_and_acks(client, authority) -> None:
    created = submit(client, authority.code, b'{"key": "k-1"}', **bearer())
    again = submit(client, authority.code, b'{"key": "k-1"}', **bearer())

    assert created.status_code == 201
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert ack(client, authority.code, "k-1", **bearer()).json() == {
        "key": "k-1",
        "acknowledged": True,
    }


def test_the_ack_answers_the_same_for_known_and_unknown_order_numbers(client, authority) -> None:
    order = order_with_rollin()
    known = f"{order.number}:test:test"
    submit(client, authority.code, json.dumps({"key": known}).encode(), **bearer())

    anonymous = [ack(client, authority.code, key) for key in (known, "DM-1999-999999:test:test")]
    assert {r.status_code for r in anonymous} == {401}
    assert anonymous[0].content == anonymous[1].content

    # The connector itself learns only about its submissions, not which orders exist.
    other_stage = [
        ack(client, authority.code, key, **bearer())
        for key in (f"{order.number}:anbindung:test", "DM-1999-999999:anbindung:test")
    ]
    assert [r.status_code for r in other_stage] == [404, 404]
    assert other_stage[0].content == other_stage[1].content


def test_large_bodies_are_refused_before_they_are_read(client, authority, settings) -> None:
    body = json.dumps({"key": "k-big", "padding": "x" * (4 * 1024 * 1024)}).encode()

    response = submit(client, authority.code, body, **bearer())

    assert response.status_code == 413
    assert not SimulatorSubmission.objects.exists()
    small = json.dumps({"key": "k-small", "padding": "x" * 1000}).encode()
    assert submit(client, authority.code, small, **bearer()).status_code == 201


def test_the_probe_stays_open_and_writes_nothing(client, authority) -> None:
    assert client.get(reverse("rollin:sim_probe", args=[authority.code])).status_code == 200


# --- the connector sends the secret, to the simulator only ------------------------------------


def headers_sent(connector: HttpConnector, order) -> httpx.Headers:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    connector.transport = httpx.MockTransport(handler)
    connector.run(item=order.rollin.items.select_related("definition", "stage").first())
    return sent[0].headers


def test_the_connector_sends_the_secret_to_the_simulator() -> None:
    order = order_with_rollin()

    connector = connector_for(order)
    assert isinstance(connector, HttpConnector)
    headers = headers_sent(connector, order)

    assert headers["Authorization"] == f"Bearer {SECRET}"


def test_the_connector_never_sends_it_to_an_authoritys_own_endpoint() -> None:
    order = order_with_rollin()
    ConnectorEndpoint.objects.create(authority=order.authority, base_url="https://fv.example/x")

    connector = connector_for(order)
    assert isinstance(connector, HttpConnector)
    headers = headers_sent(connector, order)

    assert "Authorization" not in headers


# --- where the secret comes from ----------------------------------------------------------------


def test_without_configuration_a_secret_is_generated_once_and_kept_private(
    settings, tmp_path
) -> None:
    settings.ROLLIN_SIMULATOR_SECRET = ""
    settings.VAR_DIR = tmp_path

    first, second = simulator_secret(), simulator_secret()

    assert first == second and len(first) >= 32
    path = tmp_path / SECRET_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [path]  # no draft left behind


def test_web_and_worker_processes_agree_on_the_generated_secret(settings, tmp_path) -> None:
    settings.ROLLIN_SIMULATOR_SECRET = ""
    settings.VAR_DIR = tmp_path
    env = {k: v for k, v in os.environ.items() if k != "ROLLIN_SIMULATOR_SECRET"}
    env |= {"DIGITALMARKT_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "digitalmarkt.settings"
    code = (
        "import django; django.setup(); "
        "from rollin.simulator import simulator_secret; print(simulator_secret())"
    )
    other_process = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert other_process.returncode == 0, other_process.stderr
    assert other_process.stdout.strip() == simulator_secret()


def test_production_serving_the_simulator_needs_a_configured_secret(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ROLLIN_"))}
    env |= {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "p" * 64,
        "DJANGO_ALLOWED_HOSTS": "x",
        "DIGITALMARKT_VAR_DIR": str(tmp_path),
        "ROLLIN_SIMULATOR_HTTP": "true",
        "DJANGO_SETTINGS_MODULE": "digitalmarkt.settings",
    }
    code = "import django; django.setup()"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert run.returncode != 0
    assert "ROLLIN_SIMULATOR_SECRET" in run.stderr
