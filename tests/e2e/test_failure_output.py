"""Failures say one thing once: real ``pressroom`` processes, as a user runs them.

Each test runs the CLI as a subprocess (so stderr is exactly what a terminal shows) against
the session's Prefect API, with one source on loopback that works (the demo city hall) and one
on a closed port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config

CLI = [sys.executable, "-c", "from pressroom.cli import main; main()"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def city() -> Iterator[DemoNewsroom]:
    with DemoNewsroom(["cityhall"]) as running:
        yield running


@pytest.fixture(scope="module")
def dead_url() -> str:
    return f"http://127.0.0.1:{_closed_port()}/news/"


@pytest.fixture(scope="module")
def two_sources(
    city: DemoNewsroom, dead_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """cityhall (answers) and dead (nothing listens), fast timeouts, no retries."""
    folder = tmp_path_factory.mktemp("two-sources")
    config = write_demo_config(folder / "pressroom.toml", city, folder / "wh.duckdb")
    with config.open("a", encoding="utf-8") as out:
        out.write(
            "\n[crawler]\nconnect_timeout = 0.5\nmax_attempts = 1\n"
            f'\n[[sources]]\nid = "dead"\nstart_urls = ["{dead_url}"]\ntimezone = "UTC"\n'
        )
    return config


def _pressroom(
    *args: str, api_url: str | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if api_url is None:  # the session's API (prefect_test_harness), so no temporary server
        from prefect.settings import PREFECT_API_URL

        api_url = PREFECT_API_URL.value()
    env["PREFECT_API_URL"] = api_url
    env.pop("PREFECT_LOGGING_LEVEL", None)  # the CLI's own defaults, as for a user
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def ingest_both(prefect_api: None, two_sources: Path) -> subprocess.CompletedProcess[str]:
    """One ``pressroom ingest`` of both sources, shared by the tests that read its output."""
    return _pressroom("--config", str(two_sources), "ingest")


@pytest.mark.prefect
def test_a_failed_source_is_one_line_naming_source_url_and_reason(
    ingest_both: subprocess.CompletedProcess[str], dead_url: str
) -> None:
    result = ingest_both
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()  # one line, said once
    assert line.startswith("pressroom: dead: ")
    assert dead_url in line
    assert "could not reach the site" in line and "refused" in line


@pytest.mark.prefect
def test_the_other_sources_still_print_their_summaries(
    ingest_both: subprocess.CompletedProcess[str],
) -> None:
    result = ingest_both
    assert result.returncode == 1, result.stderr
    assert "cityhall: completed - " in result.stdout
    (line,) = result.stderr.splitlines()
    assert line.startswith("pressroom: dead: ")


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_api")
def test_verbose_shows_prefect_log(two_sources: Path) -> None:
    result = _pressroom("--verbose", "--config", str(two_sources), "ingest", "dead")

    assert result.returncode == 1
    assert "Finished in state Failed" in result.stderr  # Prefect's own line, hidden by default
    assert "pressroom: dead: " in result.stderr


def test_a_stale_prefect_api_url_is_one_line_and_a_fast_exit(
    two_sources: Path, city: DemoNewsroom
) -> None:
    city.clear_requests()
    stale = f"http://127.0.0.1:{_closed_port()}/api"
    started = time.monotonic()
    result = _pressroom("--config", str(two_sources), "ingest", api_url=stale, timeout=60)
    elapsed = time.monotonic() - started

    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"pressroom: PREFECT_API_URL={stale} does not answer")
    assert "unset PREFECT_API_URL" in line
    assert result.stdout == ""
    assert city.requests() == []  # nothing was sent to any site
    assert elapsed < 15, f"took {elapsed:.1f} s"
