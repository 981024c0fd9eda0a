"""Hostile servers held at the door, each one real on loopback (issue 12, item 5).

A compression bomb of stacked gzip layers, a body dripped a byte at a time, a robots.txt that
answers 500, a feed cut short, a page with stray NUL bytes: the fetcher stops each one early,
and a run records what happened instead of failing without a trace or dropping data silently.
"""

from __future__ import annotations

import asyncio
import gzip
import resource
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.config import CrawlerConfig, SourceConfig, parse_config
from pressroom.core.errors import (
    ConfigError,
    ExtractionError,
    FetchTimeout,
    ResponseTooLarge,
    RunFailed,
    UndecodableBody,
)
from pressroom.extractors.article import extract_article
from pressroom.extractors.encoding import binary_reason, decode_html
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.ingest import ingest
from tests.e2e.conftest import query
from tests.faults.server import FaultServer, Route, drip, page

CAP = 1 << 20
FAST = CrawlerConfig(
    connect_timeout=1.0,
    read_timeout=0.5,
    request_deadline_seconds=1.0,
    max_attempts=3,
    backoff_base_seconds=0.01,
    max_response_bytes=CAP,
)
HTML = b"<html><body><h1>Hello</h1><p>An ordinary page of the city.</p></body></html>"


def _gzip_stack(size: int) -> bytes:
    """``size`` zero bytes, gzipped twice: what ``Content-Encoding: gzip, gzip`` announces."""
    once = zlib.compressobj(9, zlib.DEFLATED, 31)
    inner = b"".join(once.compress(bytes(1 << 20)) for _ in range(size >> 20)) + once.flush()
    return gzip.compress(inner, 9)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _gzip_stack(128 << 20)  # ~300 bytes on the wire, 128 MiB decoded


@pytest.fixture
def site() -> Iterator[FaultServer]:
    with FaultServer() as server:
        server.route("/robots.txt", page(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
        yield server


def _source(server: FaultServer) -> SourceConfig:
    return SourceConfig(id="city", start_urls=(server.url("/news/"),), timezone="UTC")


def _fetch(server: FaultServer, path: str, config: CrawlerConfig = FAST) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(_source(server), server.url(path))

    return asyncio.run(go())


def test_a_gzip_stack_bomb_is_stopped_at_the_decoded_cap_without_stalling(
    site: FaultServer, bomb: bytes
) -> None:
    site.route("/bomb.html", page(bomb, Content_Encoding="gzip, gzip"))
    gaps: list[float] = []

    async def go() -> None:
        async def tick() -> None:
            loop = asyncio.get_running_loop()
            while True:
                last = loop.time()
                await asyncio.sleep(0.005)
                gaps.append(loop.time() - last)

        async with Fetcher(FAST) as fetcher:
            ticker = asyncio.create_task(tick())
            try:
                with pytest.raises(ResponseTooLarge, match="once decoded"):
                    await fetcher.fetch(_source(site), site.url("/bomb.html"))
            finally:
                ticker.cancel()

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    asyncio.run(go())
    assert time.perf_counter() - start < 2.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mb < 64, grown_mb  # 128 MiB were announced; the cap is 1 MiB
    assert max(gaps) < 0.1, max(gaps)  # other sources kept running (it used to stall)
    assert site.count("/bomb.html") == 1  # a bomb is not retried


def test_stacked_encodings_decode_and_more_than_two_are_refused(site: FaultServer) -> None:
    deflated = zlib.compress(HTML)
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    site.route("/two.html", page(gzip.compress(deflated), Content_Encoding="deflate, gzip"))
    site.route("/raw.html", page(raw.compress(HTML) + raw.flush(), Content_Encoding="deflate"))
    site.route("/three.html", page(gzip.compress(gzip.compress(gzip.compress(HTML))),
                                   Content_Encoding="gzip, gzip, gzip"))  # fmt: skip
    site.route("/br.html", page(b"\x8b\x02\x80hello\x03", Content_Encoding="br"))
    assert _fetch(site, "/two.html").content == HTML
    assert _fetch(site, "/raw.html").content == HTML
    with pytest.raises(UndecodableBody, match="3 stacked encodings, at most 2"):
        _fetch(site, "/three.html")
    with pytest.raises(UndecodableBody, match="'br' is not supported"):
        _fetch(site, "/br.html")


def test_a_drip_costs_one_deadline_and_the_host_keeps_serving(site: FaultServer) -> None:
    site.route("/news/drip.html", drip(0.05))  # a byte every 50 ms: no read timeout ever
    others = [f"/news/page-{n}.html" for n in range(8)]
    for path in others:
        site.route(path, page(HTML))
    source = _source(site)
    done: dict[str, float] = {}

    async def go() -> tuple[FetchTimeout, FetchTimeout]:
        async with Fetcher(FAST) as fetcher:
            await fetcher.fetch(source, site.url(others[0]))  # robots.txt read
            start = time.perf_counter()

            async def dripping() -> FetchTimeout:
                with pytest.raises(FetchTimeout) as caught:
                    await fetcher.fetch(source, site.url("/news/drip.html"))
                done["drip"] = time.perf_counter() - start
                return caught.value

            async def the_rest() -> None:
                await asyncio.sleep(0.05)  # the drip holds one of the host's two slots
                for path in others:
                    await fetcher.fetch(source, site.url(path))
                done["others"] = time.perf_counter() - start

            first, _ = await asyncio.gather(dripping(), the_rest())
            # the URL spent its budget for this run: failing again costs no request
            again = time.perf_counter()
            with pytest.raises(FetchTimeout, match="not requested again") as second:
                await fetcher.fetch(source, site.url("/news/drip.html"))
            assert time.perf_counter() - again < 0.1
            return first, second.value

    first, _ = asyncio.run(go())
    assert "deadline" in first.reason and first.attempts == 1
    assert 0.9 <= done["drip"] < 1.6, done  # one deadline of 1 s, not 3 attempts of it
    assert done["others"] < 0.8, done  # the host's other pages did not wait for the drip
    assert site.count("/news/drip.html") == 1


def test_a_stalling_url_is_retried_only_within_its_deadline(site: FaultServer) -> None:
    def stall(handler: object) -> None:
        time.sleep(0.7)  # past the 0.5 s read timeout, every time

    site.route("/news/stall.html", stall)
    start = time.perf_counter()
    with pytest.raises(FetchTimeout) as caught:
        _fetch(site, "/news/stall.html")
    # two read timeouts (0.5 s each) spend the 1 s budget: the third attempt is never sent
    assert caught.value.attempts == 2 and site.count("/news/stall.html") == 2
    assert time.perf_counter() - start < 1.6


def test_a_sitemap_cut_short_is_recorded_and_its_entries_kept(site: FaultServer) -> None:
    urls = "".join(
        f"<url><loc>{site.url(f'/news/2024/item-{n}.html')}</loc></url>" for n in (1, 2, 3)
    )
    body = (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'
    )
    site.route(
        "/sitemap.xml", page(body.encode()[:-20], content_type="application/xml", ETag='"v1"')
    )
    source = SourceConfig(
        id="city", start_urls=(), sitemap_url=site.url("/sitemap.xml"), timezone="UTC"
    )

    async def go() -> Discovery:
        async with Fetcher(FAST) as fetcher:
            return await discover(source, fetcher, known_urls=set(), listing_validators={})

    found = asyncio.run(go())
    assert [link.url.rsplit("/", 1)[-1] for link in found.links] == ["item-1.html", "item-2.html"]
    (error,) = found.errors
    assert error.stage == "sitemap" and error.url == site.url("/sitemap.xml")
    assert "2 entries read before the break, 2 in all" in error.reason
    (listed,) = found.listing_pages
    assert listed.etag is None  # the next run reads the whole sitemap again, no 304


def test_binary_detection_uses_the_content_type_and_signatures() -> None:
    html = b"<html><body>\x00<p>text</p>\x01</body></html>"
    assert binary_reason(html, "text/html") is None  # stray control bytes are not binary
    assert binary_reason(html, "image/png; q=1") == "Content-Type image/png"
    assert binary_reason(b"  %PDF-1.7 ...", "text/html") == "PDF"
    assert binary_reason(b"\x1f\x8b\x08\x00", None) == "gzip file"
    assert binary_reason(b"RIFF\x00\x00\x00\x00WEBPVP8 ", None) == "WEBP file"
    assert binary_reason(bytes(range(32)) * 32, "text/html") is not None
    assert "\x00" not in decode_html(html, "text/html")
    with pytest.raises(ExtractionError, match="binary content: PDF"):
        extract_article(b"%PDF-1.4 <html>", "https://city.example.gov/news/a.pdf.html")


def test_request_deadline_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="request_deadline_seconds"):
        parse_config({"crawler": {"request_deadline_seconds": 0}})
    assert parse_config({}).crawler.request_deadline_seconds == 60.0


# --------------------------------------------------------------------------- a real ingest


ARTICLE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{t}</title></head><body>"
    "<main><article><h1>{t}</h1><p class='date'>Posted on March {d}, 2024</p>"
    "<p>The city council approved the {t} on Tuesday evening after a public hearing that drew "
    "more than forty residents to the chamber.</p><p>Work begins next month; residents can read "
    "the plan at the public library.</p></article></main></body></html>"
)
TITLES = {f"/news/story-{n}.html": f"Council story number {n}" for n in range(1, 6)}


def _feed(server: FaultServer) -> bytes:
    items = [
        f"<item><title>{title}</title><link>{server.url(path)}</link>"
        f"<pubDate>Tue, 0{n} Mar 2024 10:00:00 GMT</pubDate></item>"
        for n, (path, title) in enumerate(TITLES.items(), start=1)
    ]
    items[2] = items[2].replace("</title>", " &nbsp;</title>", 1)  # an undefined entity
    body = "".join(items)
    cut = body.index("<item>", body.index("story-4"))  # cut short inside item 5
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{body[: cut + 30]}'.encode()


def _robots(statuses: list[int]) -> Route:
    """robots.txt answering ``statuses`` in turn, then the last one for ever."""

    def answer(handler: object) -> None:
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        page(b"User-agent: *\nAllow: /\n", status, "text/plain")(handler)  # type: ignore[arg-type]

    return answer


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[FaultServer, Path]]:
    with FaultServer() as server:
        for n, (path, title) in enumerate(TITLES.items(), start=1):
            server.route(path, page(ARTICLE.format(t=title, d=n).encode()))
        # a stray NUL and control bytes in story 1: dropped, the page still loads
        nul = ARTICLE.format(t=TITLES["/news/story-1.html"], d=1).encode()
        server.route("/news/story-1.html", page(nul.replace(b"<h1>", b"\x00<h1>\x01\x07", 1)))
        server.route("/news/", page(b"<html><body><p>See the feed.</p></body></html>"))
        server.route("/feed.xml", page(_feed(server), content_type="application/rss+xml"))
        config = tmp_path / "pressroom.toml"
        config.write_text(
            f"""
[warehouse]
path = "wh.duckdb"

[crawler]
connect_timeout = 1.0
read_timeout = 1.0
max_attempts = 2
backoff_base_seconds = 0.01

[[sources]]
id = "city"
start_urls = ["{server.url("/news/")}"]
feed_url = "{server.url("/feed.xml")}"
timezone = "UTC"
language = "en-US"
""",
            encoding="utf-8",
        )
        yield server, config


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_api")
def test_robots_500_fails_the_run_with_a_record_then_the_next_run_reads_it_again(
    newsroom: tuple[FaultServer, Path],
) -> None:
    server, config = newsroom
    server.route("/robots.txt", _robots([500, 500, 200]))
    with pytest.raises(RunFailed, match="robots"):  # the flow run ends Failed, with a summary
        asyncio.run(ingest(config_path=str(config)))
    warehouse = config.parent / "wh.duckdb"
    ((status, errors),) = query(warehouse, "SELECT status, errors FROM runs")
    assert status == "failed" and errors == 2  # the listing page and the feed, both refused
    rows = query(warehouse, "SELECT stage, status, reason, url FROM fetch_errors ORDER BY url")
    assert [(stage, code) for stage, code, _, _ in rows] == [("robots", 500)] * 2
    assert all("robots.txt" in reason and "HTTP 500" in reason for _, _, reason, _ in rows)
    assert server.count("/news/") == 0 and server.count("/feed.xml") == 0  # nothing else sent

    # the next run asks for robots.txt again (200 now): the site is read
    asyncio.run(ingest(config_path=str(config)))
    assert server.count("/robots.txt") == 3
    runs = query(warehouse, "SELECT status FROM runs ORDER BY started_at")
    assert [s for (s,) in runs][1] in ("completed", "degraded")
    titles = {t for (t,) in query(warehouse, "SELECT title FROM articles")}
    # items 1-4 of the feed are kept (item 3 past an undefined entity), item 5 was cut short
    assert titles == {TITLES[f"/news/story-{n}.html"] for n in range(1, 5)}
    ((body,),) = query(warehouse, "SELECT body_text FROM articles WHERE url LIKE '%story-1%'")
    assert "\x00" not in body and "forty residents" in body
    (feed_error,) = query(
        warehouse,
        "SELECT reason FROM fetch_errors WHERE stage = 'feed' AND url LIKE '%/feed.xml'",
    )
    assert "2 items read before the break, 4 in all" in feed_error[0], feed_error
