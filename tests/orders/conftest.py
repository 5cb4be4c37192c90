from __future__ import annotations

import pytest


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """Record the roll-in worker runs that would be queued (the worker is rollin's to test)."""
    from rollin import tasks

    calls: list[int] = []
    monkeypatch.setattr(tasks.advance, "delay", lambda order_id: calls.append(order_id))
    return calls
