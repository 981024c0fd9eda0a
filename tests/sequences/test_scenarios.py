"""Issue 12's named sequences of runs, each one short deterministic test on a 32-article site.

The site (``conftest.site``) has 32 weekly articles from 2024-09-02 to 2025-04-07, five to a
listing page. Each test runs the real flows in-process against the session's Prefect API.
Before the issue 12 fixes each failed (figures in the commit that added them: backfill Dec-Jan
then ingest held 9 of 32; a date-less redesign NULLed 32 of 32 dates; a refetch asked for 0 pages).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sequences.harness import SOURCE, Pressroom
from tests.sequences.site import Newsroom

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

DEC, JAN_END = date(2024, 12, 1), date(2025, 1, 31)


def _paths_since(site: Newsroom, day: date) -> set[str]:
    return {a.path for a in site.articles if a.published >= day}


def test_an_ingest_after_a_backfill_loads_everything_newer_than_the_window(
    site: Newsroom, pressroom: Pressroom
) -> None:
    pressroom.backfill(DEC, JAN_END)
    in_window = {a.path for a in site.articles if DEC <= a.published <= JAN_END}
    assert set(pressroom.by_path()) == in_window  # 9 articles, Dec 2 to Jan 27

    pressroom.ingest()

    stored = pressroom.by_path()
    missing = _paths_since(site, DEC) - set(stored)
    assert not missing, f"{len(missing)} articles newer than the window start are missing"
    assert len(stored) == 19


def test_recheck_after_a_backfill_finds_the_articles_newer_than_the_window(
    site: Newsroom, pressroom: Pressroom
) -> None:
    pressroom.backfill(DEC, JAN_END)

    pressroom.ingest(recheck=True)

    missing = _paths_since(site, DEC) - set(pressroom.by_path())
    assert not missing, f"{len(missing)} articles newer than the window start are missing"


def test_a_redesign_that_drops_dates_keeps_the_stored_dates(
    site: Newsroom, pressroom: Pressroom
) -> None:
    pressroom.ingest()
    assert len(pressroom.stored()) == 32
    site.redesign("no-date")

    pressroom.ingest()

    stored = pressroom.stored()
    lost = [row.url for row in stored if row.published_at is None]
    assert not lost, f"{len(lost)} of {len(stored)} stored dates were overwritten with NULL"
    assert all(not row.differs_from(site.by_path()[row.url]) for row in stored)


def test_backfill_refetch_downloads_the_range_again_and_loads_changes(
    site: Newsroom, pressroom: Pressroom
) -> None:
    pressroom.backfill(DEC, JAN_END)
    in_window = sorted(a.path for a in site.articles if DEC <= a.published <= JAN_END)
    index = next(i for i, a in enumerate(site.articles) if a.path == in_window[0])
    corrected = site.correct(index)
    before = len(site.served)

    pressroom.backfill(DEC, JAN_END, refetch=True)

    pages = [s for s in site.served[before:] if s.article]
    assert sorted({s.path for s in pages}) == in_window, "every page of the range, again"
    assert all(s.status == 200 and not s.conditional for s in pages)
    assert pressroom.by_path()[corrected.path].body_text == corrected.body_text


def test_an_ingest_after_a_first_ingest_that_failed_halfway_loads_the_rest(
    site: Newsroom, pressroom: Pressroom
) -> None:
    site.fail_path(site.listing_path(3), 10)  # page 4 of 7 answers 503 for the whole run
    pressroom.ingest()
    assert len(pressroom.stored()) < 32
    site.clear_failures()

    pressroom.ingest()

    missing = {a.path for a in site.articles} - set(pressroom.by_path())
    assert not missing, f"{len(missing)} of 32 articles behind the failed page are missing"


def test_an_ingest_after_a_killed_first_ingest_loads_the_rest(
    site: Newsroom, pressroom: Pressroom, api_url: str
) -> None:
    site.article_delay = 0.1  # the first group of 25 pages is loaded while the rest download
    assert pressroom.kill_mid_ingest(api_url, after_articles=26, once_staged=True)
    assert len(pressroom.stored()) + _staged(pressroom) > 0  # killed after a batch was staged
    site.article_delay = 0.0

    pressroom.ingest()

    missing = {a.path for a in site.articles} - set(pressroom.by_path())
    assert not missing, f"{len(missing)} of 32 articles are missing after the kill"
    assert len(pressroom.stored()) == 32


def _staged(pressroom: Pressroom) -> int:
    """Articles in batches the killed run staged (loaded by the next run)."""
    from pressroom.warehouse.state import pending_state

    staging = pressroom.folder / "wh.duckdb.staging"
    return len({a.article_id for a in pending_state(staging, SOURCE).articles.values()})
