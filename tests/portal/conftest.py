"""Fixtures of the portal tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.portal.smtp import SmtpServer, free_port


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A mail server that is down until the test starts it; this process sends to it too."""
    server = SmtpServer(free_port())
    for name, value in server.environment().items():
        setattr(settings, name.removeprefix("DJANGO_"), value)
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    with contextlib.suppress(Exception):
        server.stop()
