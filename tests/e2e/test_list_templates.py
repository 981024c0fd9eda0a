"""Issue 13, item 1, end to end: a UK-council-style newsroom read with its learned list template.

The newsroom (:mod:`tests.crawler.council`) has 22 news releases on three listing pages (the
last holds the two oldest) and, on every page, an unmarked "Most read" box of five feature
stories and a "Have your say" box of consultations. The source has no selectors (generic mode).
Real Prefect runs, a real DuckDB file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.core.articles import ListTemplate
from pressroom.flows.ingest import backfill, ingest
from tests.crawler.council import CouncilNewsroom
from tests.crawler.server import TestServer
from tests.e2e.conftest import query, run_cli, summaries_of

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

SOURCE = "ashby"


def _write_config(folder: Path, server: TestServer, source_keys: str) -> Path:
    """A pressroom.toml for the newsroom on ``server``: the source's id, start URL and time
    zone, plus ``source_keys`` (TOML lines); fast crawler settings."""
    config = folder / "pressroom.toml"
    config.write_text(
        f"""
[warehouse]
path = "wh.duckdb"

[crawler]
max_attempts = 1
parse_workers = 0

[[sources]]
id = "{SOURCE}"
start_urls = ["{server.url("/news/")}"]
timezone = "Europe/London"
{source_keys}
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[CouncilNewsroom, Path, Path]]:
    with TestServer() as server:
        config = _write_config(tmp_path, server, 'language = "en-GB"\nmax_listing_pages = 10')
        yield CouncilNewsroom(server), config, tmp_path / "wh.duckdb"


def _loaded(warehouse: Path) -> set[str]:
    return {url for (url,) in query(warehouse, "SELECT url FROM articles")}


def _ingest(config: Path) -> dict:
    (summary,) = summaries_of(ingest(config_path=str(config)))
    return summary


def _latest_run(warehouse: Path) -> tuple[str, str | None, int]:
    ((status, notes, errors),) = query(
        warehouse, "SELECT status, notes, errors FROM runs ORDER BY started_at DESC LIMIT 1"
    )
    return status, notes, errors


def test_an_ingest_loads_exactly_the_news_list(site) -> None:
    newsroom, config, warehouse = site
    _ingest(config)
    expected = newsroom.urls(newsroom.news)
    loaded = _loaded(warehouse)
    assert loaded == expected, (len(expected), len(loaded), sorted(loaded - expected))
    ((start_url, text),) = query(warehouse, "SELECT start_url, template FROM list_templates")
    assert start_url == newsroom.server.url("/news/")
    template = ListTemplate.from_json(text)
    assert template.signature[-3:] == ("div.news-item", "h3", "a")
    assert template.date_path == ("p.meta",)

    _ingest(config)  # incremental: the stored template is used and not written again
    assert _loaded(warehouse) == expected
    assert query(warehouse, "SELECT count(*) FROM list_templates") == [(1,)]
    assert _latest_run(warehouse)[0] == "completed"


def test_a_backfill_over_the_oldest_page_loads_exactly_the_window(site) -> None:
    newsroom, config, warehouse = site
    oldest_first = sorted(newsroom.news, key=lambda r: r.day)
    since, until = oldest_first[0].day, oldest_first[12].day  # the features' dates lie inside
    asyncio.run(backfill(source_id=SOURCE, since=since, until=until, config_path=str(config)))
    expected = newsroom.urls([r for r in newsroom.news if since <= r.day <= until])
    assert len(expected) == 13
    loaded = _loaded(warehouse)
    assert loaded == expected, (len(expected), len(loaded), sorted(loaded - expected))
    assert newsroom.urls(oldest_first[:2]) <= loaded  # the two-item last page


def test_a_redesigned_listing_is_relearned_and_the_run_warns(site) -> None:
    newsroom, config, warehouse = site
    _ingest(config)
    newsroom.layout = "v2"
    _ingest(config)
    status, notes, _errors = _latest_run(warehouse)
    assert status == "degraded"
    assert notes is not None and "list template" in notes and "re-learned" in notes
    ((text,),) = query(warehouse, "SELECT template FROM list_templates")
    assert ListTemplate.from_json(text).signature[-2:] == ("article.card", "a.card-link")

    _ingest(config)  # the re-learned template matches: a normal run again
    assert _latest_run(warehouse)[0] == "completed"
    assert _loaded(warehouse) == newsroom.urls(newsroom.news)


def test_a_listing_that_yields_nothing_is_a_listing_error(site) -> None:
    newsroom, config, warehouse = site
    _ingest(config)
    newsroom.layout = "empty"
    summary = _ingest(config)  # the recent articles were revalidated: the run itself worked
    assert summary["counts"]["errors"] == 1
    status, _notes, errors = _latest_run(warehouse)
    assert (status, errors) == ("completed", 1)
    ((url, reason),) = query(
        warehouse, "SELECT url, reason FROM fetch_errors WHERE stage = 'listing'"
    )
    assert url == newsroom.server.url("/news/") and "no article links" in reason
    assert _loaded(warehouse) == newsroom.urls(newsroom.news)  # nothing lost


def test_check_source_reads_the_listing_with_the_stored_template(site) -> None:
    _newsroom, config, _warehouse = site
    _ingest(config)
    result = run_cli("--config", str(config), "check-source", SOURCE)
    assert "10 article links" in result.output
    assert (
        "list template (stored, matched, 10 rows): div.news-list > div.news-item > h3 > a"
        in result.output
    )


@pytest.fixture
def day_first_site(tmp_path: Path) -> Iterator[tuple[CouncilNewsroom, Path, Path]]:
    """The same newsroom printing 07/01/2023-style dates, pages in plain ``lang="en"``, and a
    source that says only ``language = "en"`` and ``timezone = "Europe/London"``: all three
    traps of issue 13 at once (a short last page, an unmarked "Most read" box, day-first)."""
    with TestServer() as server:
        config = _write_config(tmp_path, server, 'language = "en"')
        newsroom = CouncilNewsroom(server, numeric_dates=True, lang="en")
        yield newsroom, config, tmp_path / "wh.duckdb"


def _days(warehouse: Path) -> dict[str, str]:
    rows = query(
        warehouse,
        "SELECT url, strftime(published_at AT TIME ZONE 'Europe/London', '%Y-%m-%d') FROM articles",
    )
    return dict(rows)


def test_day_first_dates_with_the_box_and_the_short_page_ingest(day_first_site) -> None:
    newsroom, config, warehouse = day_first_site
    _ingest(config)
    expected = {newsroom.server.url(r.path): r.day.isoformat() for r in newsroom.news}
    assert _days(warehouse) == expected  # every release, once, on its own day; no box links


def test_day_first_dates_with_the_box_and_the_short_page_backfill(day_first_site) -> None:
    newsroom, config, warehouse = day_first_site
    oldest_first = sorted(newsroom.news, key=lambda r: r.day)
    since, until = oldest_first[0].day, oldest_first[12].day
    asyncio.run(backfill(source_id=SOURCE, since=since, until=until, config_path=str(config)))
    window = [r for r in newsroom.news if since <= r.day <= until]
    expected = {newsroom.server.url(r.path): r.day.isoformat() for r in window}
    assert len(expected) == 13
    assert _days(warehouse) == expected
