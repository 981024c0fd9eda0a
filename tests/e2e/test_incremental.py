"""Issue 4 through the ingest flow: corrections, new articles, failures retried then given up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.ingest import ingest
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

FAST_CRAWLER = """
[crawler]
max_attempts = 1
give_up_after_runs = 2
read_timeout = 5.0
"""


@pytest.fixture
def hightech(tmp_path: Path) -> tuple[DemoNewsroom, Path, Path]:
    with DemoNewsroom(families=["hightech"]) as newsroom:
        config = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")
        config.write_text(config.read_text(encoding="utf-8") + FAST_CRAWLER, encoding="utf-8")
        yield newsroom, config, tmp_path / "wh.duckdb"


def _ingest(config: Path) -> dict:
    (summary,) = asyncio.run(ingest(config_path=str(config)))
    return summary["counts"]


def test_a_corrected_article_becomes_a_new_version(hightech) -> None:
    newsroom, config, warehouse = hightech
    _ingest(config)
    corrected = newsroom.update_article(
        "hightech", 2, paragraphs=["Corrected: the fair opens on Monday.", "Second paragraph."]
    )
    counts = _ingest(config)

    assert counts["articles_updated"] == 1
    assert counts["articles_new"] == 0
    url = newsroom.url("hightech", corrected)
    rows = query(
        warehouse,
        "SELECT count(*) FROM article_versions JOIN articles AS a USING (article_id) "
        "WHERE a.url = ?",
        [url],
    )
    assert rows == [(2,)]
    ((body,),) = query(warehouse, "SELECT body_text FROM articles WHERE url = ?", [url])
    assert body == "Corrected: the fair opens on Monday.\n\nSecond paragraph."


def test_a_new_article_is_found_without_walking_the_whole_listing(hightech) -> None:
    newsroom, config, warehouse = hightech
    _ingest(config)
    newsroom.clear_requests()
    added = newsroom.add_article(
        "hightech", title="High-tech Zone opened a new incubator", paragraphs=["It opened."]
    )
    counts = _ingest(config)

    assert counts["articles_new"] == 1
    listing_requests = [r for r in newsroom.requests("hightech") if "/index" in r.path]
    # page 1 brought something new, page 2 nothing: the walk stops there
    assert [r.path for r in listing_requests] == ["/en/news/index.html", "/en/news/index_1.html"]
    assert query(warehouse, "SELECT count(*) FROM articles WHERE title = ?", [added.title]) == [
        (1,)
    ]


def test_a_failing_article_is_retried_on_later_runs_then_given_up(hightech) -> None:
    newsroom, config, warehouse = hightech
    broken = newsroom.articles("hightech")[4]
    gone = newsroom.articles("hightech")[5]
    newsroom.fail("hightech", broken.path, status=500, times=1000)
    newsroom.fail("hightech", gone.path, status=404, times=1000)

    first = _ingest(config)
    assert first["errors"] == 2
    assert first["articles_new"] == 33
    reasons = query(
        warehouse, "SELECT url, status, reason, stage FROM fetch_errors ORDER BY status"
    )
    assert [(status, stage) for _, status, _, stage in reasons] == [
        (404, "article"),
        (500, "article"),
    ]

    newsroom.clear_requests()
    second = _ingest(config)
    asked = {r.path for r in newsroom.requests("hightech")}
    assert broken.path in asked  # a 500 is retried on the next run
    assert gone.path not in asked  # a 404 is recorded, not retried every run
    assert second["errors"] == 1

    newsroom.clear_requests()
    third = _ingest(config)
    assert broken.path not in {r.path for r in newsroom.requests("hightech")}
    assert third["given_up"] == 1
    assert third["errors"] == 0
