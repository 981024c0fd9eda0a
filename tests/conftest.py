"""Test-wide setup: a clean environment per test and one Prefect API per session.

Prefect is configured before it is imported anywhere: no telemetry, no internet, a private
PREFECT_HOME. Flow tests ask for the ``prefect_api`` fixture (``prefect_test_harness``, ~10 s
once per session); everything else runs without Prefect.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every machine and keep no example database, so CI
# cannot fail on an example a previous local run saved (or on a strategy edited since).
settings.register_profile("pressroom", derandomize=True, database=None)
settings.load_profile("pressroom")

_PREFECT_HOME = tempfile.mkdtemp(prefix="pressroom-prefect-home-")
os.environ.update(
    {
        "PREFECT_HOME": _PREFECT_HOME,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
)
os.environ.pop("PREFECT_API_URL", None)


@pytest.fixture(autouse=True)
def _clean_pressroom_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees a developer's own pressroom settings."""
    for key in ("PRESSROOM_CONFIG", "PRESSROOM_WAREHOUSE"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """A real Prefect API (temporary server + database) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a pressroom.toml in tmp_path from text and return its path."""

    def write(text: str, name: str = "pressroom.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def empty_warehouse_config(write_config) -> Path:
    """A pressroom.toml in tmp_path whose warehouse exists (migrated, empty)."""
    from pressroom.warehouse import connect

    path = write_config('[warehouse]\npath = "wh.duckdb"\n')
    with connect(path.parent / "wh.duckdb"):
        pass
    return path
