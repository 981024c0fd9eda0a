"""pages.kind and kind_reason: pages that were not articles, in the crawl state
whether staged or loaded, and the runs counter."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pressroom.core.runs import PageRecord
from pressroom.warehouse import read_crawl_state, stage_batch
from tests.warehouse.wh_helpers import T0, article, load, rows, run

DEPT = "https://city.example/government/departments/parks/"


def page(url: str, kind: str | None, reason: str | None, aid: str | None = None, at=T0):
    return PageRecord("city", url, None, 200, None, None, at, None, aid, kind, reason)


def test_a_non_article_page_is_stored_with_its_kind_and_counted(wh: Path, staging: Path) -> None:
    item = article(1)
    load(
        wh,
        staging,
        run("r1", not_articles=1),
        articles=[item],
        pages=[page(DEPT, "landing", "no date, 24 links"), page(item.url, "article", "og:type")],
    )
    found = rows(wh, "SELECT url, kind, kind_reason, article_id FROM pages ORDER BY url")
    assert found == [
        {"url": DEPT, "kind": "landing", "kind_reason": "no date, 24 links", "article_id": None},
        {"url": item.url, "kind": "article", "kind_reason": "og:type", "article_id": None},
    ]
    assert rows(wh, "SELECT not_articles FROM runs") == [{"not_articles": 1}]
    assert rows(wh, "SELECT count(*) AS n FROM articles") == [{"n": 1}]
    assert read_crawl_state(wh, "city").non_articles == {DEPT: "landing"}


def test_staged_non_articles_are_in_the_state_before_the_load(wh: Path, staging: Path) -> None:
    stage_batch(staging, run=run("r1"), pages=[page(DEPT, "soft_404", "title 'Not found'")])
    assert read_crawl_state(wh, "city", staging_dir=staging).non_articles == {DEPT: "soft_404"}


def test_a_page_that_became_an_article_leaves_the_non_articles(wh: Path, staging: Path) -> None:
    load(wh, staging, run("r1"), pages=[page(DEPT, "landing", "no date")])
    later = T0 + timedelta(days=1)
    stage_batch(staging, run=run("r2"), pages=[page(DEPT, "article", "json-ld", "city-9", later)])
    assert read_crawl_state(wh, "city", staging_dir=staging).non_articles == {}
    load(wh, staging, run("r3"))
    assert read_crawl_state(wh, "city").non_articles == {}
    assert rows(wh, "SELECT kind, article_id FROM pages") == [
        {"kind": "article", "article_id": "city-9"}
    ]


def test_a_304_keeps_the_stored_kind(wh: Path, staging: Path) -> None:
    load(wh, staging, run("r1"), pages=[page(DEPT, "landing", "no date")])
    again = PageRecord("city", DEPT, None, 304, None, None, T0 + timedelta(days=1))
    load(wh, staging, run("r2"), pages=[again])
    assert rows(wh, "SELECT status, kind, kind_reason FROM pages") == [
        {"status": 304, "kind": "landing", "kind_reason": "no date"}
    ]
