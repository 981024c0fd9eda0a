"""Issue 12, items 1, 3 and 4: incremental state that means what it says, in the order users
run things (a backfill, then the schedule; a refetch; staging in batches as a run goes).

The demo's high-tech newsroom serves 35 articles, one a month from 2022-01 to 2024-12, newest
first on listing pages of five (``index.html``, ``index_1.html``, ...), with ETags and 304s.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.ingest import backfill, ingest
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

SOURCE = "hightech"


@pytest.fixture
def site(tmp_path: Path):
    with DemoNewsroom(families=[SOURCE]) as newsroom:
        config = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "wh.duckdb")
        yield newsroom, config, tmp_path / "wh.duckdb"


def _with_crawler(config: Path, text: str) -> None:
    config.write_text(config.read_text(encoding="utf-8") + "\n[crawler]\n" + text, "utf-8")


def _ingest(config: Path, **params: object) -> dict:
    (summary,) = asyncio.run(ingest(config_path=str(config), **params))
    return summary["counts"]


def _backfill(config: Path, since: date, until: date, **params: object) -> list[dict]:
    return asyncio.run(
        backfill(source_id=SOURCE, since=since, until=until, config_path=str(config), **params)
    )


def _days(warehouse: Path) -> list[str]:
    rows = query(warehouse, "SELECT strftime(published_at, '%Y-%m') FROM articles ORDER BY 1")
    return [month for (month,) in rows]


def _expected_since(newsroom: DemoNewsroom, since: date) -> list[str]:
    return sorted(
        a.published.strftime("%Y-%m")
        for a in newsroom.articles(SOURCE)
        if a.published.date() >= since
    )


def test_an_ingest_after_a_backfill_loads_every_article_newer_than_the_window(site) -> None:
    """Before the fix the backfill kept page 1's ETag; the ingest got a 304 and stopped."""
    newsroom, config, warehouse = site
    _backfill(config, date(2023, 12, 1), date(2024, 1, 31))
    assert _days(warehouse) == ["2023-12", "2024-01"]

    _ingest(config)
    newer = _expected_since(newsroom, date(2023, 12, 1))  # 13 articles
    assert set(newer) <= set(_days(warehouse))  # older ones may come too: no page was all known
    assert len(_days(warehouse)) == len(set(_days(warehouse)))

    newsroom.clear_requests()
    again = _ingest(config)  # now the listing is handled: page 1 answers 304 and that is all
    assert again["articles_new"] == 0
    listing = [r for r in newsroom.requests(SOURCE) if "/index" in r.path]
    assert [(r.path, r.status) for r in listing] == [("/en/news/index.html", 304)]


def test_a_backfill_stores_no_listing_validators(site) -> None:
    _, config, warehouse = site
    _backfill(config, date(2024, 6, 1), date(2024, 12, 31))
    rows = query(
        warehouse, "SELECT count(*) FROM pages WHERE article_id IS NULL AND etag IS NOT NULL"
    )
    assert rows == [(0,)]


def test_a_walk_stopped_by_max_listing_pages_keeps_no_validators(site) -> None:
    _, config, warehouse = site
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            'timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\nmax_listing_pages = 2'
        ),
        "utf-8",
    )
    assert "max_listing_pages = 2" in config.read_text(encoding="utf-8")
    _ingest(config)
    listing = query(warehouse, "SELECT url, etag FROM pages WHERE url LIKE '%/en/news/index%'")
    assert len(listing) == 2
    assert [etag for _, etag in listing] == [None, None]  # read again next time, never a 304


def test_a_page_whose_article_failed_keeps_no_validators_until_it_is_handled(site) -> None:
    newsroom, config, warehouse = site
    _with_crawler(config, "max_attempts = 1\n")
    newest = max(newsroom.articles(SOURCE), key=lambda a: a.published)  # on page 1
    assert newest.published.year == 2024 and newest.published.month == 12
    newsroom.fail(SOURCE, newest.path, status=500, times=1)
    _ingest(config)
    page1 = query(warehouse, "SELECT etag FROM pages WHERE url LIKE '%/en/news/index.html'")
    assert page1 == [(None,)]

    second = _ingest(config)  # the failed article is retried; now page 1 is handled
    assert second["articles_new"] == 1
    page1 = query(warehouse, "SELECT etag FROM pages WHERE url LIKE '%/en/news/index.html'")
    assert page1[0][0] is not None


def test_recheck_revalidates_listing_pages(site) -> None:
    newsroom, config, _ = site
    _ingest(config)
    newsroom.clear_requests()
    _ingest(config, recheck=True)
    first_page = [r for r in newsroom.requests(SOURCE) if r.path == "/en/news/index.html"]
    assert [(r.status, "if-none-match" in r.headers) for r in first_page] == [(200, False)]


def test_backfill_refetch_downloads_every_page_of_the_range_again(site) -> None:
    """Before the fix a refetch of a loaded range asked for no article at all."""
    newsroom, config, warehouse = site
    window = (date(2024, 1, 1), date(2024, 6, 30))
    _backfill(config, *window)
    in_range = [a for a in newsroom.articles(SOURCE) if a.published.date() >= window[0]
                and a.published.date() <= window[1]]  # fmt: skip
    corrected = ["Corrected: " + in_range[0].paragraphs[0], *in_range[0].paragraphs[1:]]
    changed = newsroom.update_article(SOURCE, in_range[0].path, paragraphs=corrected)
    newsroom.clear_requests()

    summaries = _backfill(config, *window, refetch=True)
    asked = [r for r in newsroom.requests(SOURCE) if r.path in {a.path for a in in_range}]
    assert sorted(r.path for r in asked) == sorted(a.path for a in in_range)
    assert all(r.status == 200 and "if-none-match" not in r.headers for r in asked)
    assert sum(s["counts"]["articles_updated"] for s in summaries) == 1
    ((body,),) = query(warehouse, "SELECT body_text FROM articles WHERE url = ?",
                       [newsroom.url(SOURCE, changed)])  # fmt: skip
    assert body == "\n\n".join(corrected)


def test_a_run_stages_its_articles_in_batches_as_it_goes(site) -> None:
    _, config, warehouse = site
    _with_crawler(config, "stage_batch_articles = 10\n")
    counts = _ingest(config)
    assert counts["articles_new"] == 35
    ((batches,),) = query(warehouse, "SELECT count(*) FROM loaded_batches")
    # pages arrive in extraction groups of 25: a batch of 25, one of 10, the listing pages last
    assert batches >= 3
    (row,) = query(warehouse, "SELECT status, articles_new, finished_at IS NOT NULL FROM runs")
    assert row == ("completed", 35, True)
