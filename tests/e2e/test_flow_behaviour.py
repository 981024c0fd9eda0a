"""Issue 6 flow behaviour on the demo newsroom: reparse offline, the degraded-run alarm."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.ingest import ingest
from pressroom.flows.reparse import reparse
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]


def test_reparse_rebuilds_articles_from_the_archive_without_network(tmp_path: Path) -> None:
    config = tmp_path / "pressroom.toml"
    warehouse = tmp_path / "wh.duckdb"
    with DemoNewsroom(families=["cityhall"]) as newsroom:
        write_demo_config(config, newsroom, warehouse)
        asyncio.run(ingest(config_path=str(config)))
    # the server is gone: any request would fail. An "extractor change": a declared selector
    # that takes the page's <h1> section label as the title.
    text = config.read_text(encoding="utf-8")
    config.write_text(text + 'title_selector = "h1"\n', encoding="utf-8")

    result = asyncio.run(reparse(source_id="cityhall", config_path=str(config)))

    assert result[0]["counts"]["errors"] == 0
    assert query(warehouse, "SELECT DISTINCT title FROM articles") == [("News Flash",)]
    assert query(warehouse, "SELECT count(*) FROM article_versions") == [(70,)]
    assert query(warehouse, "SELECT count(*) FROM runs WHERE mode = 'reparse'") == [(1,)]


def test_a_redesign_that_empties_bodies_marks_the_run_degraded(tmp_path: Path) -> None:
    config = tmp_path / "pressroom.toml"
    warehouse = tmp_path / "wh.duckdb"
    with DemoNewsroom(families=["hightech"]) as newsroom:
        write_demo_config(config, newsroom, warehouse)
        first = asyncio.run(ingest(config_path=str(config), return_state=True))
        assert first.name == "Completed"
        for article in newsroom.articles("hightech"):
            newsroom.update_article("hightech", article.path, paragraphs=[])
        state = asyncio.run(ingest(config_path=str(config), return_state=True))

    assert state.name == "Degraded"
    assert "hightech" in state.message and "empty bodies" in state.message
    assert "http://127.0.0.1" in state.message  # sample URLs
    ((status, notes),) = query(
        warehouse, "SELECT status, notes FROM runs ORDER BY started_at DESC LIMIT 1"
    )
    assert status == "degraded"
    assert "possible site redesign" in notes
