"""Issue 13 end to end: Hanweb jcms and TRS WCM families in generic mode through the flows.

Each source is only ``id``, ``start_urls`` and ``timezone = "Asia/Shanghai"``: no selectors,
no site module. An ingest must load exactly the family's articles and a backfill over a window
that reaches the oldest listing page exactly the window's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pressroom.flows.ingest import backfill, ingest
from tests.crawler.cms_sites import HanwebColumn, TrsChannel
from tests.crawler.server import TestServer
from tests.e2e.conftest import query

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer() as running:
        yield running


def _config(folder: Path, source_id: str, start_url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pressroom.toml"
    path.write_text(
        '[warehouse]\npath = "wh.duckdb"\n\n'
        "[crawler]\nmax_attempts = 1\nread_timeout = 5.0\nparse_workers = 0\n\n"
        f'[[sources]]\nid = "{source_id}"\nstart_urls = ["{start_url}"]\n'
        'timezone = "Asia/Shanghai"\n',
        encoding="utf-8",
    )
    return path


def _ingest(config: Path) -> list[dict[str, Any]]:
    return asyncio.run(ingest(config_path=str(config)))


def _backfill(config: Path, source_id: str, since: date, until: date) -> list[dict[str, Any]]:
    return asyncio.run(
        backfill(source_id=source_id, since=since, until=until, config_path=str(config))
    )


def _loaded(config: Path) -> set[str]:
    return {url for (url,) in query(config.parent / "wh.duckdb", "SELECT url FROM articles")}


def _rows(config: Path) -> int:
    ((count,),) = query(config.parent / "wh.duckdb", "SELECT count(*) FROM articles")
    return count


def test_hanweb_column_ingest_and_backfill(server: TestServer, tmp_path: Path) -> None:
    column = HanwebColumn(server, total=37)
    config = _config(tmp_path / "ingest", "qingchuan", column.start_url)
    _ingest(config)
    assert _loaded(config) == column.urls() and _rows(config) == 37
    first = column.articles[0]
    ((title, published, origin),) = query(
        config.parent / "wh.duckdb",
        "SELECT title, strftime(published_at AT TIME ZONE 'Asia/Shanghai', '%Y-%m-%d %H:%M'),"
        " origin FROM articles WHERE url = ?",
        [server.url(first.path)],
    )
    assert (title, published, origin) == (first.title, f"{first.day} 10:20", "青川市人民政府办公室")

    # records 31-37 are the oldest endpoint range; the window reaches into it
    since, until = column.articles[-1].day, column.articles[25].day
    window = _config(tmp_path / "backfill", "qingchuan", column.start_url)
    _backfill(window, "qingchuan", since, until)
    assert _loaded(window) == column.expected(since, until) and _rows(window) == 12


def test_trs_channel_ingest_and_backfill_in_gbk(server: TestServer, tmp_path: Path) -> None:
    channel = TrsChannel(server, total=27)
    config = _config(tmp_path / "ingest", "linjiang", channel.start_url)
    _ingest(config)
    assert _loaded(config) == channel.urls() and _rows(config) == 27
    last = channel.articles[-1]
    ((title, origin),) = query(
        config.parent / "wh.duckdb",
        "SELECT title, origin FROM articles WHERE url = ?",
        [server.url(last.path)],
    )
    assert (title, origin) == (last.title, "临江市人民政府办公室")

    since, until = channel.articles[-1].day, channel.articles[19].day  # index_4 and index_5
    window = _config(tmp_path / "backfill", "linjiang", channel.start_url)
    _backfill(window, "linjiang", since, until)
    assert _loaded(window) == channel.expected(since, until) and _rows(window) == 8


def test_a_refused_hanweb_endpoint_is_a_listing_error_retried_next_run(
    server: TestServer, tmp_path: Path
) -> None:
    column = HanwebColumn(server, total=37)
    config = _config(tmp_path, "qingchuan", column.start_url)
    warehouse = tmp_path / "wh.duckdb"
    endpoint = server.url(column.PROXY + "?startrecord=16&endrecord=30&perpage=5")

    column.refuse = "403"
    (summary,) = _ingest(config)
    assert _rows(config) == 15 and summary["counts"]["errors"] == 1
    assert query(warehouse, "SELECT source_id, url, stage, status, reason FROM fetch_errors") == [
        ("qingchuan", endpoint, "listing", 403, "FetchStatusError: HTTP 403")
    ]

    column.refuse = "html"
    _ingest(config)
    reasons = query(warehouse, "SELECT reason FROM fetch_errors WHERE status = 200")
    assert len(reasons) == 1
    assert reasons[0][0].endswith("data endpoint answered an HTML page instead of its XML")

    column.refuse = None
    (summary,) = _ingest(config)
    assert summary["counts"]["articles_new"] == 22
    assert _loaded(config) == column.urls() and _rows(config) == 37


def test_a_backfill_that_reaches_the_cms_cap_says_so(server: TestServer, tmp_path: Path) -> None:
    channel = TrsChannel(server, total=40, cap=4)
    config = _config(tmp_path, "linjiang", channel.start_url)
    shown = channel.shown()
    summaries = _backfill(config, "linjiang", channel.articles[-1].day, shown[0].day)
    assert _loaded(config) == {server.url(a.path) for a in shown} and _rows(config) == 24
    notes = [s["notes"] for s in summaries if s.get("notes")]
    assert len(notes) == 1 and "CMS cap of 4 pages" in notes[0]
    assert "older articles need the sitemap or the site's search" in notes[0]
    assert query(tmp_path / "wh.duckdb", "SELECT count(*) FROM runs WHERE notes LIKE '%cap%'") == [
        (1,)
    ]


@pytest.mark.parametrize("pager", ["four", "text"])
def test_trs_channel_with_a_count_only_pager_ingest_and_backfill(
    server: TestServer, tmp_path: Path, pager: str
) -> None:
    """The four-argument ``createPageHTML(countPage, currentPage, ...)`` (0-based), and a pager
    that is only "共5页 当前第k页" text with script links: page k is ``index_(k-1).shtml``."""
    channel = TrsChannel(server, total=27, pager=pager)
    config = _config(tmp_path / "ingest", "linjiang", channel.start_url)
    (summary,) = _ingest(config)
    assert _loaded(config) == channel.urls() and _rows(config) == 27
    assert summary.get("notes") in (None, "")  # a last page of 3: nothing capped
    listing = {r.path for r in server.requests if "/index" in r.path}
    assert listing == {channel.page_path(n) for n in range(1, 6)}  # index_1..index_4, no index_5

    since, until = channel.articles[-1].day, channel.articles[19].day  # pages 4 and 5
    window = _config(tmp_path / "backfill", "linjiang", channel.start_url)
    _backfill(window, "linjiang", since, until)
    assert _loaded(window) == channel.expected(since, until) and _rows(window) == 8


def test_a_silent_cap_on_a_four_argument_pager_is_noted(server: TestServer, tmp_path: Path) -> None:
    """40 articles, 4 pages of 6 shown and no "本频道最多" text: the backfill of the whole range
    ends on a full fourth page whose oldest article is newer than the window's start."""
    channel = TrsChannel(server, total=40, cap=4, pager="four", cap_text=False)
    config = _config(tmp_path, "linjiang", channel.start_url)
    shown = channel.shown()
    summaries = _backfill(config, "linjiang", channel.articles[-1].day, shown[0].day)
    assert _loaded(config) == {server.url(a.path) for a in shown} and _rows(config) == 24
    notes = [s["notes"] for s in summaries if s.get("notes")]
    assert len(notes) == 1, notes
    assert "ends on a full page after 4 pages" in notes[0]
    assert f"before the window's start {channel.articles[-1].day}" in notes[0]
    assert "older articles need the sitemap or the site's search" in notes[0]


def test_a_hanweb_endpoint_that_stops_serving_before_its_count_is_noted(
    server: TestServer, tmp_path: Path
) -> None:
    """``totalrecord`` says 37, the endpoint serves 30: the empty range 31-45 ends the walk with
    a note, and no range after it is asked for."""
    column = HanwebColumn(server, total=37, serve_max=30)
    config = _config(tmp_path, "qingchuan", column.start_url)
    summaries = _backfill(config, "qingchuan", column.articles[-1].day, column.articles[0].day)
    assert _loaded(config) == {server.url(a.path) for a in column.articles[:30]}
    notes = [s["notes"] for s in summaries if s.get("notes")]
    assert len(notes) == 1, notes
    assert "served no records from record 31 although it reports 37 in all" in notes[0]
    ranges = [r.target.split("?", 1)[1] for r in column.endpoint_requests()]
    assert ranges == [
        "startrecord=16&endrecord=30&perpage=5",
        "startrecord=31&endrecord=45&perpage=5",
    ]
