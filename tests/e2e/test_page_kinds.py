"""Issue 13, item 4 through the ingest flow: not every URL a sitemap or listing offers is one.

A WordPress-style newsroom (:mod:`tests.e2e.wordpress_site`) in generic mode: its sitemap lists
five posts beside a department directory, two department pages, a contact page and a category
archive; its blog index links to a deleted post (a soft 404 answered 200) and to a PDF. An
ingest loads exactly the five posts; ``pages`` holds the others with their kind and reason;
the next ingest does not ask for them again; ``--recheck`` does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressroom.flows.ingest import ingest
from pressroom.flows.report import RunSummary, summary_markdown
from tests.crawler.server import TestServer
from tests.e2e import wordpress_site as site
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[TestServer, Path, Path]]:
    with TestServer() as server:
        site.serve(server)
        config = tmp_path / "pressroom.toml"
        config.write_text(
            f"""
[warehouse]
path = "wh.duckdb"

[crawler]
max_attempts = 1

[[sources]]
id = "maple-falls"
start_urls = ["{server.url("/news/")}"]
timezone = "America/New_York"
sitemap_url = "{server.url("/wp-sitemap.xml")}"
""",
            encoding="utf-8",
        )
        yield server, config, tmp_path / "wh.duckdb"


def _ingest(config: Path, **params: Any) -> dict[str, int]:
    (summary,) = asyncio.run(ingest(config_path=str(config), **params))
    return summary["counts"]


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_an_ingest_loads_exactly_the_articles(newsroom) -> None:
    _, config, warehouse = newsroom
    counts = _ingest(config)
    loaded = {_path(url) for (url,) in query(warehouse, "SELECT url FROM articles")}
    expected = {post.path for post in site.ARTICLES}
    assert loaded == expected  # recall 1.0, no extra rows
    kinds = {
        _path(url): (kind, reason, article_id)
        for url, kind, reason, article_id in query(
            warehouse, "SELECT url, kind, kind_reason, article_id FROM pages WHERE kind IS NOT NULL"
        )
    }
    for path, kind in site.NON_ARTICLES.items():
        assert kinds[path][0] == kind, (path, kinds.get(path))
        assert kinds[path][1], path  # a reason
        assert kinds[path][2] is None, path  # no article
    for post in site.ARTICLES:
        assert kinds[post.path][0] == "article"
    assert query(warehouse, "SELECT count(*) FROM fetch_errors") == [(0,)]
    assert query(warehouse, "SELECT not_articles, errors FROM runs") == [
        (len(site.NON_ARTICLES), 0)
    ]
    assert counts["not_articles"] == len(site.NON_ARTICLES)
    assert counts["articles_new"] == len(site.ARTICLES)


def test_the_next_ingest_does_not_ask_again_and_recheck_does(newsroom) -> None:
    server, config, warehouse = newsroom
    _ingest(config)
    first = len(server.paths())
    counts = _ingest(config)
    again = _requested_since(server, first)
    assert not again & set(site.NON_ARTICLES), again & set(site.NON_ARTICLES)
    assert counts["not_articles"] == 0
    assert counts["errors"] == 0

    second = len(server.paths())
    counts = _ingest(config, recheck=True)
    rechecked = _requested_since(server, second)
    assert set(site.NON_ARTICLES) <= rechecked
    assert counts["not_articles"] == len(site.NON_ARTICLES)
    loaded = {_path(url) for (url,) in query(warehouse, "SELECT url FROM articles")}
    assert loaded == {post.path for post in site.ARTICLES}
    assert query(warehouse, "SELECT count(*) FROM fetch_errors") == [(0,)]


def _requested_since(server: TestServer, start: int) -> set[str]:
    return set(server.paths()[start:])


def test_the_markdown_artifact_counts_them() -> None:
    summary = RunSummary(
        "maple-falls",
        "Maple Falls",
        "r1",
        "completed",
        1.0,
        counts={"articles_new": 5, "not_articles": 7},
        samples={"not_articles": ["https://maplefalls.example/contact/ (landing: no date)"]},
    )
    text = summary_markdown("ingest", [summary])
    header = text.splitlines()[2].split(" | ")
    row = text.splitlines()[4].split(" | ")
    assert row[header.index("not articles")] == "7"
    assert "maple-falls not articles:" in text
