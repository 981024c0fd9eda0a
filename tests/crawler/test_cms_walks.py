"""Discovery over the Hanweb and TRS families on loopback (issue 13): no selectors, no site code."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import parse_qsl

from pressroom.config import SourceConfig
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher

from .cms_sites import HanwebColumn, TrsChannel
from .helpers import FAST
from .server import TestServer

CRAWLER = FAST.model_copy(update=dict(max_response_bytes=1 << 20, max_attempts=1))


def _source(start_url: str) -> SourceConfig:
    return SourceConfig(id="cms", start_urls=(start_url,), timezone="Asia/Shanghai")


def _run(source: SourceConfig, **kw: object) -> Discovery:
    async def go() -> Discovery:
        async with Fetcher(CRAWLER) as fetcher:
            params: dict[str, object] = {"known_urls": set(), "listing_validators": {}, **kw}
            return await discover(source, fetcher, **params)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_hanweb_column_walks_its_datastore_then_the_endpoint_ranges(server: TestServer) -> None:
    column = HanwebColumn(server, total=37)
    found = _run(_source(column.start_url))
    assert found.errors == []
    assert [link.url for link in found.links] == [server.url(a.path) for a in column.articles]
    assert found.links[0].title == column.articles[0].title  # the title attribute, not "…"
    assert found.links[-1].published_at is not None
    assert found.links[-1].published_at.date() == column.articles[-1].day
    posts = column.endpoint_requests()
    assert [r.target.split("?")[1] for r in posts] == [
        "startrecord=16&endrecord=30&perpage=5",
        "startrecord=31&endrecord=45&perpage=5",
    ]
    assert {r.method for r in posts} == {"POST"}
    assert all(r.headers["referer"] == column.start_url for r in posts)
    form = dict(parse_qsl(posts[0].body.decode()))
    assert form["columnid"] == "1229" and form["webname"] == "青川市人民政府"


def test_hanweb_incremental_stops_on_known_records(server: TestServer) -> None:
    column = HanwebColumn(server, total=37)
    known = {server.url(a.path) for a in column.articles[2:]}
    found = _run(_source(column.start_url), known_urls=known)
    assert [link.url for link in found.links] == [server.url(a.path) for a in column.articles[:2]]
    # the column page had unseen records, records 16-30 none: the walk stopped there
    assert len(column.endpoint_requests()) == 1


def test_hanweb_backfill_stops_at_since(server: TestServer) -> None:
    column = HanwebColumn(server, total=52)
    since, until = column.articles[20].day, column.articles[10].day
    found = _run(_source(column.start_url), mode="backfill", since=since, until=until)
    # links dated a day from the window's edges are kept (uncertain): their pages decide
    margin = timedelta(days=1)
    assert {link.url for link in found.links} == column.expected(since - margin, until + margin)
    assert found.uncertain_dates == 6  # a day either side of since and of until
    # records 31-45 are all older than ``since``: 46-60 are never asked for
    assert [r.target.split("=")[1] for r in column.endpoint_requests()] == [
        "16&endrecord",
        "31&endrecord",
    ]


def test_hanweb_endpoint_refusal_is_a_listing_error_naming_the_reason(
    server: TestServer,
) -> None:
    column = HanwebColumn(server, total=37)
    column.refuse = "403"
    found = _run(_source(column.start_url))
    assert len(found.links) == 15  # the datastore's records are kept
    (error,) = found.errors
    assert (error.stage, error.status, error.source) == ("listing", 403, "cms")
    assert error.url == server.url(column.PROXY + "?startrecord=16&endrecord=30&perpage=5")
    assert not any(page.trusted for page in found.listing_pages)

    column.refuse = "html"
    found = _run(_source(column.start_url))
    (error,) = found.errors
    assert error.status == 200 and "HTML page instead of its XML" in error.reason


def test_hanweb_endpoint_without_referer_or_form_is_refused(server: TestServer) -> None:
    column = HanwebColumn(server, total=20)
    source = _source(column.start_url)
    url = server.url(column.PROXY + "?startrecord=16&endrecord=30&perpage=5")

    async def ask(**kw: object) -> int:
        async with Fetcher(CRAWLER) as fetcher:
            try:
                result = await fetcher.fetch(source, url, stage="listing", **kw)  # type: ignore[arg-type]
            except Exception as exc:
                return int(getattr(exc, "status", 0) or 0)
            return result.status

    form = (("col", "1"), ("appid", "1"), ("webid", "3"), ("path", "/"), ("columnid", "1229"))
    form += (("sourceContentType", "1"), ("unitid", "4187293"), ("webname", "青川市人民政府"))
    form += (("permissiontype", "0"),)
    assert asyncio.run(ask()) == 403  # a GET
    assert asyncio.run(ask(form=form)) == 403  # no Referer
    assert asyncio.run(ask(form=form[:-1], referer=column.start_url)) == 403
    assert asyncio.run(ask(form=form, referer=column.start_url)) == 200


def test_trs_channel_follows_the_six_argument_pager_in_gbk(server: TestServer) -> None:
    channel = TrsChannel(server, total=27)
    found = _run(_source(channel.start_url))
    assert found.errors == []
    assert [link.url for link in found.links] == [server.url(a.path) for a in channel.articles]
    listing = [p for p in server.paths() if "/index" in p]
    assert listing == ["/xxgk/tzgg/index.shtml"] + [
        f"/xxgk/tzgg/index_{k}.shtml" for k in range(2, 6)
    ]
    assert found.links[1].title == channel.articles[1].title  # written by document.write


def test_trs_backfill_reads_ahead_no_further_than_the_page_count(server: TestServer) -> None:
    channel = TrsChannel(server, total=27)
    since, until = channel.articles[-1].day, channel.articles[20].day
    found = _run(_source(channel.start_url), mode="backfill", since=since, until=until)
    # the link dated a day after ``until`` is kept (uncertain): its page decides
    margin = timedelta(days=1)
    assert {link.url for link in found.links} == channel.expected(since - margin, until + margin)
    assert not [p for p in server.paths() if p.endswith("index_6.shtml")]
    assert found.notes == []


def test_trs_backfill_that_reaches_the_cms_cap_says_so(server: TestServer) -> None:
    channel = TrsChannel(server, total=40, cap=4)
    since, until = channel.articles[-1].day, channel.articles[0].day
    found = _run(_source(channel.start_url), mode="backfill", since=since, until=until)
    assert {link.url for link in found.links} == {server.url(a.path) for a in channel.shown()}
    (note,) = found.notes
    assert "cap of 4 pages" in note and "sitemap or the site's search" in note
    assert str(channel.shown()[-1].day) in note
