"""Planning around pages that were not articles: not asked for again, except by a recheck."""

from __future__ import annotations

from datetime import UTC, datetime

from pressroom.config import SourceConfig
from pressroom.core.crawl_state import CrawlState, FailedUrl
from pressroom.flows.crawl.planning import plan_targets

SOURCE = SourceConfig(id="city", start_urls=("https://city.example/news/",), timezone="UTC")
NOW = datetime(2024, 3, 20, tzinfo=UTC)
DEPT = "https://city.example/government/departments/parks/"
PDF = "https://city.example/files/budget.pdf"
NEW = "https://city.example/news/2024/03/new-post/"
STATE = CrawlState("city", non_articles={DEPT: "landing", PDF: "document"})


def test_pages_that_were_not_articles_are_not_requested_again() -> None:
    plan = plan_targets(SOURCE, STATE, [DEPT, PDF, NEW], now=NOW)
    assert [t.url for t in plan.targets] == [NEW]


def test_a_recheck_downloads_them_again_without_the_archive() -> None:
    plan = plan_targets(SOURCE, STATE, [NEW], now=NOW, recheck_all=True)
    targets = {t.url: t for t in plan.targets}
    assert set(targets) == {NEW, DEPT, PDF}
    assert targets[DEPT].fresh and targets[PDF].fresh
    assert not targets[NEW].fresh


def test_an_old_extraction_failure_of_a_document_is_not_retried() -> None:
    failed = FailedUrl(PDF, 1, 1, 200, "not an HTML page", NOW, "extract")
    state = CrawlState("city", failures={PDF: failed}, non_articles={PDF: "document"})
    assert plan_targets(SOURCE, state, [], now=NOW).targets == []
