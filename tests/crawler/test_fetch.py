"""Fetcher against a real HTTP server: robots, retries, caps, redirects, validators, limits."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from pressroom.config import CrawlerConfig, SourceConfig
from pressroom.core.errors import (
    FetchError,
    FetchRefused,
    FetchStatusError,
    FetchTimeout,
    ResponseTooLarge,
)
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.politeness import parse_retry_after

from .helpers import FAST, source_for
from .server import Reply, TestServer, conditional


def fetch(source: SourceConfig, url: str, config: CrawlerConfig = FAST, **kw: str) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(source, url, **kw)

    return asyncio.run(go())


def test_plain_fetch_sends_user_agent_and_reads_robots_once(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/news/", b"<html>hello</html>")
    source = source_for(server)

    async def go() -> list[FetchResult]:
        async with Fetcher(FAST) as fetcher:
            return [await fetcher.fetch(source, server.url("/news/")) for _ in range(3)]

    results = asyncio.run(go())
    assert results[0].status == 200 and results[0].content == b"<html>hello</html>"
    assert results[0].fetched_at.tzinfo is not None and results[0].attempts == 1
    assert server.paths() == ["/robots.txt", "/news/", "/news/", "/news/"]
    agent = server.requests_to("/news/")[0].headers["user-agent"]
    assert agent.startswith("pressroom/") and "mailto:press-bot@example.org" in agent


def test_robots_disallow_and_crawl_delay(server: TestServer) -> None:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n")
    for name in "abc":
        server.route(f"/news/{name}", b"ok")
    source = source_for(server)
    with pytest.raises(FetchRefused, match=r"disallowed by robots\.txt"):
        fetch(source, server.url("/private/report"))
    assert "/private/report" not in server.paths()

    async def go() -> None:
        async with Fetcher(FAST) as fetcher:
            await asyncio.gather(*(fetcher.fetch(source, server.url(f"/news/{n}")) for n in "abc"))

    asyncio.run(go())
    times = sorted(r.at for r in server.requests if r.path.startswith("/news/"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 2 and min(gaps) >= 0.2, gaps  # 0.3 s paced at send time


def test_robots_unreachable_disallows_everything(server: TestServer) -> None:
    server.route("/robots.txt", Reply(503))
    server.route("/news/", b"ok")
    with pytest.raises(FetchRefused, match=r"robots\.txt unreachable"):
        fetch(source_for(server), server.url("/news/"))
    assert server.paths() == ["/robots.txt"] * FAST.max_attempts


def test_429_with_retry_after_then_200(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.sequence("/news/", [Reply(429, headers={"Retry-After": "1"}), Reply(200, b"ok")])
    started = time.monotonic()
    result = fetch(source_for(server), server.url("/news/"))
    assert result.status == 200 and result.attempts == 2
    gap = server.requests_to("/news/")[1].at - server.requests_to("/news/")[0].at
    assert gap >= 0.95 and time.monotonic() - started < 3


def test_retry_after_forms() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_500_then_200_is_retried(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.sequence("/news/", [Reply(500), Reply(502), Reply(200, b"ok")])
    result = fetch(source_for(server), server.url("/news/"))
    assert result.content == b"ok" and result.attempts == 3


def test_dropped_connection_is_retried(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.sequence("/news/", [Reply(0), Reply(200, b"ok")])
    result = fetch(source_for(server), server.url("/news/"))
    assert result.content == b"ok" and result.attempts == 2


def test_persistent_500_gives_status_error_with_attempts(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/news/", Reply(500))
    with pytest.raises(FetchStatusError) as info:
        fetch(source_for(server), server.url("/news/"), stage="listing")
    assert info.value.status == 500 and info.value.attempts == 3
    assert info.value.stage == "listing" and info.value.source == "city"


def test_404_and_410_not_retried(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/gone", Reply(410))
    for path, status in (("/missing", 404), ("/gone", 410)):
        with pytest.raises(FetchStatusError) as info:
            fetch(source_for(server), server.url(path))
        assert info.value.status == status and info.value.attempts == 1
        assert len(server.requests_to(path)) == 1


def test_read_timeout_is_retried_then_raised(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/slow", Reply(200, b"late", delay=0.8))
    config = FAST.model_copy(update=dict(max_attempts=2))
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        fetch(source_for(server), server.url("/slow"), config)
    assert info.value.attempts == 2 and time.monotonic() - started < 1.5


def test_connection_refused_is_a_fetch_error() -> None:
    source = SourceConfig(id="x", start_urls=("http://127.0.0.1:9/",), timezone="UTC")
    with pytest.raises(FetchError) as info:
        fetch(source, "http://127.0.0.1:9/news/", FAST.model_copy(update=dict(max_attempts=2)))
    # robots.txt is unreachable first, so the article is refused without being sent
    assert "unreachable" in str(info.value)


def test_oversized_bodies_stopped(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/declared", Reply(200, b"x" * 5000))
    server.route("/streamed", Reply(200, chunks=[b"x" * 1000] * 10, chunk_delay=0.01))
    for path in ("/declared", "/streamed"):
        with pytest.raises(ResponseTooLarge):
            fetch(source_for(server), server.url(path))
        assert len(server.requests_to(path)) == 1


def test_redirects_within_site_followed_off_site_refused(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", b"moved here")
    result = fetch(source_for(server), server.url("/old"))
    assert result.final_url == server.url("/new") and result.url == server.url("/old")
    offsite = server.url("/elsewhere").replace("127.0.0.1", "localhost")
    server.route("/away", Reply(302, headers={"Location": offsite}))
    with pytest.raises(FetchRefused, match="not one of the source's hosts"):
        fetch(source_for(server), server.url("/away"))
    assert "/elsewhere" not in server.paths()


def test_redirect_loop_and_too_many_hops(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(source_for(server), server.url("/a"))
    server.route("/bad", Reply(302, headers={"Location": "http://[bad"}))
    with pytest.raises(FetchError, match="unusable redirect"):
        fetch(source_for(server), server.url("/bad"))
    for i in range(8):
        server.route(f"/hop{i}", Reply(302, headers={"Location": f"/hop{i + 1}"}))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(source_for(server), server.url("/hop0"))


def test_refuses_other_schemes_and_hosts_without_sending(server: TestServer) -> None:
    source = source_for(server)
    with pytest.raises(FetchRefused, match="only http"):
        fetch(source, "ftp://127.0.0.1/file")
    with pytest.raises(FetchRefused, match="not one of the source's hosts"):
        fetch(source, "http://example.org/news/")
    assert server.paths() == []


def test_conditional_request_304(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    lm = "Wed, 01 May 2024 10:00:00 GMT"
    server.route("/news/1", conditional(b"article", etag='"v1"', last_modified=lm))
    source = source_for(server)

    async def go() -> tuple[FetchResult, FetchResult, Fetcher]:
        async with Fetcher(FAST) as fetcher:
            first = await fetcher.fetch(source, server.url("/news/1"))
            second = await fetcher.fetch(
                source, server.url("/news/1"), etag=first.etag, last_modified=first.last_modified
            )
            return first, second, fetcher

    first, second, fetcher = asyncio.run(go())
    assert first.etag == '"v1"' and first.last_modified == lm and not first.not_modified
    assert second.not_modified and second.status == 304 and second.content is None
    assert second.etag == '"v1"'
    sent = server.requests_to("/news/1")[1].headers
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == lm
    assert fetcher.stats.requests == 2 and fetcher.stats.bodies == 1
    assert fetcher.stats.not_modified == 1 and fetcher.stats.by_status == {200: 1, 304: 1}


def test_per_host_concurrency_is_a_real_limit(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/slow", Reply(200, b"ok", delay=0.15))
    source = source_for(server, per_host_concurrency=2)

    async def go() -> None:
        async with Fetcher(FAST) as fetcher:
            await asyncio.gather(*(fetcher.fetch(source, server.url("/slow")) for _ in range(8)))

    asyncio.run(go())
    assert server.max_in_flight == 2


def test_global_limit_across_hosts(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/slow", Reply(200, b"ok", delay=0.15))
    source = source_for(server, allowed_hosts=("localhost",), per_host_concurrency=3)
    config = FAST.model_copy(update=dict(global_concurrency=2))
    urls = [server.url("/slow"), server.url("/slow").replace("127.0.0.1", "localhost")] * 4

    async def go() -> None:
        async with Fetcher(config) as fetcher:
            await asyncio.gather(*(fetcher.fetch(source, u) for u in urls))

    asyncio.run(go())
    hosts = {r.headers["host"].split(":")[0] for r in server.requests}
    assert hosts == {"127.0.0.1", "localhost"} and server.max_in_flight == 2
