"""A backfill killed with SIGKILL anywhere loses and duplicates nothing once it is run again.

Each test starts ``pressroom backfill`` as a real process against the session's Prefect API,
kills it at one point (while fetching, while parsing, with a batch staged but not loaded,
inside a load transaction), runs the same backfill once more in-process, and compares the
warehouse with the one a single clean run produces: same article ids, same content hashes,
one version each, no duplicates, and nothing left staged.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.ingest import backfill
from pressroom.warehouse import pending_batches
from tests.faults.conftest import article_count, snapshot

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "cityhall"
SINCE, UNTIL = date(2024, 7, 1), date(2024, 12, 31)  # six month chunks, one article each
CLI_RANGE = ["--since", SINCE.isoformat(), "--until", UNTIL.isoformat()]


@pytest.fixture(scope="module")
def newsroom() -> Iterator[DemoNewsroom]:
    with DemoNewsroom(families=[SOURCE]) as running:
        yield running


@pytest.fixture(scope="module")
def reference(newsroom: DemoNewsroom, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse one clean backfill produces."""
    folder = tmp_path_factory.mktemp("reference")
    config = write_demo_config(folder / "pressroom.toml", newsroom, folder / "wh.duckdb")
    asyncio.run(backfill(source_id=SOURCE, since=SINCE, until=UNTIL, config_path=str(config)))
    return folder / "wh.duckdb"


def _start(args: list[str], api_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            pytest.fail(f"pressroom ended (exit {proc.returncode}) before the kill point:\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the kill point was not reached in time")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if proc.stderr:
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _recover_and_compare(config: Path, warehouse: Path, reference: Path, loaded: int) -> None:
    """The kill left a partial warehouse; one clean run must make it equal the reference."""
    expected = snapshot(reference)
    assert loaded < len(expected.hashes), "the kill came after everything was loaded"
    asyncio.run(backfill(source_id=SOURCE, since=SINCE, until=UNTIL, config_path=str(config)))
    got = snapshot(warehouse)
    assert got.hashes == expected.hashes  # same article ids and the same content
    assert got.versions == expected.versions  # one version each, none doubled
    assert got.duplicate_articles == got.duplicate_versions == 0
    assert pending_batches(Path(f"{warehouse}.staging")) == []
    assert not (Path(f"{warehouse}.staging") / "_failed").exists()


def _fresh(newsroom: DemoNewsroom, folder: Path) -> tuple[Path, Path]:
    warehouse = folder / "wh.duckdb"
    return write_demo_config(folder / "pressroom.toml", newsroom, warehouse), warehouse


def test_killed_while_fetching(
    newsroom: DemoNewsroom, reference: Path, api_url: str, tmp_path: Path
) -> None:
    config, warehouse = _fresh(newsroom, tmp_path)
    newsroom.clear_requests()
    newsroom.set_latency(0.15, SOURCE)
    try:
        proc = _start(  # the real command line, as `pressroom` runs it
            [
                "-c",
                "from pressroom.cli import main; main()",
                "--config",
                str(config),
                "backfill",
                SOURCE,
                *CLI_RANGE,
            ],
            api_url,
        )
        article_paths = {a.path for a in newsroom.articles(SOURCE)}

        def fetching() -> bool:
            fetched = [r for r in newsroom.requests(SOURCE) if r.path in article_paths]
            return len(fetched) >= 4

        _kill_when(proc, fetching, timeout=45)
    finally:
        newsroom.set_latency(0.0, SOURCE)
    _recover_and_compare(config, warehouse, reference, article_count(warehouse))


@pytest.mark.parametrize(
    ("point", "nth"),
    [("parse", 3), ("staged", 2), ("load", 1), ("load", 4)],
    ids=["while-parsing", "batch-staged-not-loaded", "inside-first-load", "inside-fourth-load"],
)
def test_killed_at_a_point(
    point: str, nth: int, newsroom: DemoNewsroom, reference: Path, api_url: str, tmp_path: Path
) -> None:
    config, warehouse = _fresh(newsroom, tmp_path)
    marker = tmp_path / "reached"
    proc = _start(
        ["-m", "tests.faults._killable", point, str(nth), str(marker), "--",
         "--config", str(config), "backfill", SOURCE, *CLI_RANGE],
        api_url,
    )  # fmt: skip
    _kill_when(proc, marker.exists, timeout=45)
    _recover_and_compare(config, warehouse, reference, article_count(warehouse))
