"""Issue 12, item 4: an ingest killed halfway loses at most the batch in flight, and the
re-run does not download again the pages the killed run archived (it asks with their
validators and reuses the archived body on a 304)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.ingest import ingest
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "hightech"


@pytest.fixture
def site(tmp_path: Path):
    with DemoNewsroom(families=[SOURCE]) as newsroom:
        config = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")
        yield newsroom, config, tmp_path / "wh.duckdb"


def _ingest(config: Path) -> dict:
    (summary,) = asyncio.run(ingest(config_path=str(config)))
    return summary["counts"]


def test_a_killed_ingest_keeps_its_staged_batches_and_the_rerun_downloads_nothing_again(
    site, api_url: str
) -> None:
    """SIGKILL halfway: the batches staged before the kill are loaded, and the re-run asks for
    the pages the killed run archived only conditionally (or not at all)."""
    newsroom, config, warehouse = site
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\n[crawler]\nstage_batch_articles = 5\n", encoding="utf-8")
    newsroom.set_latency(0.1, SOURCE)
    article_paths = {a.path for a in newsroom.articles(SOURCE)}
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pressroom.cli import main; main()",
         "--config", str(config), "ingest"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not warehouse.exists():  # the first batch (one extraction group) is loading
            assert proc.poll() is None, "the ingest ended before the kill"
            assert time.monotonic() < deadline, "the ingest did not get far enough"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        newsroom.set_latency(0.0, SOURCE)
    archived = {
        urlsplit(result.url).path
        for _, result in RawArchive(f"{warehouse}.raw").iter_source(SOURCE)
        if urlsplit(result.url).path in article_paths
    }
    assert archived  # the killed run archived pages before it was killed

    newsroom.clear_requests()
    _ingest(config)
    assert query(warehouse, "SELECT count(*), count(DISTINCT url) FROM articles") == [(35, 35)]
    again = [r.path for r in newsroom.requests(SOURCE) if r.path in archived and r.status == 200]
    assert again == []  # each was answered 304 and its archived body reused
    fresh = {r.path for r in newsroom.requests(SOURCE) if r.path in article_paths}
    assert fresh | archived == article_paths
