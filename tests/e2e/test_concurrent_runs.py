"""Issue 6: a scheduled ingest and a hand-started backfill of one source at the same time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]
PRESSROOM = str(Path(sys.executable).parent / "pressroom")


def test_ingest_and_backfill_at_once_both_finish_without_duplicates(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    warehouse = tmp_path / "wh.duckdb"
    with DemoNewsroom(families=["hightech"]) as newsroom:
        newsroom.set_latency(0.02)  # long enough for the two runs to overlap
        config = str(write_demo_config(tmp_path / "pressroom.toml", newsroom, warehouse))
        runs = [
            subprocess.Popen(
                [PRESSROOM, "--config", config, *args],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for args in (["ingest", "hightech"], ["backfill", "hightech", "--since", "2022-01-01"])
        ]
        outputs = [run.communicate(timeout=300)[0].decode() for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    assert query(warehouse, "SELECT count(*), count(DISTINCT url) FROM articles") == [(35, 35)]
    assert query(warehouse, "SELECT count(*) FROM article_versions") == [(35,)]
    assert query(
        warehouse,
        "SELECT count(*) = count(DISTINCT (article_id, position)) FROM article_paragraphs",
    ) == [(True,)]
    modes = query(warehouse, "SELECT DISTINCT mode FROM runs ORDER BY mode")
    assert modes == [("backfill",), ("manual",)]
