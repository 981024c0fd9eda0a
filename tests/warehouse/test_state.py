"""Crawl state: known articles, validators, failures, and batches staged but not loaded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pressroom.core.crawl_state import CrawlState
from pressroom.core.runs import FetchErrorRecord, PageRecord
from pressroom.warehouse import read_crawl_state, stage_batch
from tests.warehouse.wh_helpers import T0, article, load, run

LISTING = "https://city.example/news"
BAD = "https://city.example/news/broken"


def page(url: str, status: int = 200, etag: str | None = '"e"', at=T0, aid=None) -> PageRecord:
    return PageRecord("city", url, None, status, etag, None, at, None, aid)


def failure(run_id: str, at=T0, status: int | None = 500) -> FetchErrorRecord:
    return FetchErrorRecord("city", BAD, "article", status, "boom", 2, run_id, at)


def test_missing_warehouse_gives_empty_state(wh: Path) -> None:
    assert read_crawl_state(wh, "city") == CrawlState("city")


def test_known_articles_validators_and_aliases(wh: Path, staging: Path) -> None:
    item = article(1, canonical_url="https://city.example/n/1")
    alias = "https://city.example/news/1?utm_source=x"
    load(
        wh,
        staging,
        articles=[item, article(2, source_id="county")],
        pages=[page(LISTING, etag='"L1"'), page(alias, aid="city-1")],
    )
    state = read_crawl_state(wh, "city")
    assert sorted(state.known_urls) == sorted([item.url, "https://city.example/n/1", alias])
    known = state.known_urls[item.url]
    assert (known.article_id, known.first_seen_at, known.last_seen_at) == ("city-1", T0, T0)
    assert known.published_at == item.record.published_at
    assert state.validators[LISTING] == ('"L1"', None)
    etag, last_modified = state.validators[LISTING]
    assert etag == '"L1"' and last_modified is None
    assert state.pages[alias].article_id == "city-1"


def test_failures_count_runs_since_the_last_success(wh: Path, staging: Path) -> None:
    load(wh, staging, run("r1"), errors=[failure("r1")])
    load(wh, staging, run("r2"), errors=[failure("r2", T0 + timedelta(hours=1), None)])
    state = read_crawl_state(wh, "city")
    failed = state.failures[BAD]
    assert (failed.runs, failed.attempts, failed.last_status, failed.stage) == (
        2,
        4,
        None,
        "article",
    )
    assert state.failed_urls == {BAD: 2}
    assert state.gave_up(BAD, 2) and not state.gave_up(BAD, 3)
    load(wh, staging, run("r3"), pages=[page(BAD, at=T0 + timedelta(hours=2))])
    assert read_crawl_state(wh, "city").failures == {}


def test_staged_but_unloaded_batches_are_folded_in(wh: Path, staging: Path) -> None:
    load(wh, staging, pages=[page(LISTING, etag='"L1"')])
    stage_batch(
        staging,
        run=run("r2"),
        articles=[article(7)],
        pages=[
            page(LISTING, status=304, etag=None, at=T0 + timedelta(hours=1)),
            page("https://city.example/news?page=2", etag='"P2"'),
        ],
    )
    plain = read_crawl_state(wh, "city")
    assert "https://city.example/news/7" not in plain.known_urls
    state = read_crawl_state(wh, "city", staging_dir=staging)
    assert state.known_urls["https://city.example/news/7"].article_id == "city-7"
    assert state.validators[LISTING] == ('"L1"', None)
    assert state.validators["https://city.example/news?page=2"] == ('"P2"', None)
    assert state.pages[LISTING].status == 304
