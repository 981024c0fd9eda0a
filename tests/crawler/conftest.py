"""Fixtures for crawler tests: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as srv:
        yield srv
