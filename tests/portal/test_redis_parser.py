"""Redis replies are parsed in C (hiredis): the sessions, unread counts, figure versions and
broker messages every request and every worker step reads."""

from __future__ import annotations

import redis.connection
from redis._parsers import _HiredisParser
from redis.utils import HIREDIS_AVAILABLE


def test_redis_py_parses_replies_with_hiredis() -> None:
    assert HIREDIS_AVAILABLE
    assert redis.connection.DefaultParser is _HiredisParser
