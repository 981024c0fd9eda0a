"""fetch_and_extract: a batch is extracted group by group while the rest still downloads."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.article_fetch import FetchTarget
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome
from pressroom.flows.crawl.pipeline import archive_and_extract, fetch_and_extract

from .helpers import FAST, source_for
from .server import Reply, TestServer

PAGES = 8
DELAY = 0.05


def _article(n: int) -> bytes:
    return (
        f"<html><head><title>Notice {n}</title></head><body><article><h1>Notice {n}</h1>"
        f"<p>Published 2024-03-0{n % 9 + 1}.</p>"
        f"<p>The city council met on item {n} and approved the plan for the district.</p>"
        "</article></body></html>"
    ).encode()


def test_groups_are_extracted_while_later_pages_download_and_order_is_kept(
    server: TestServer, tmp_path: Path
) -> None:
    server.route("/robots.txt", Reply(404))
    for n in range(PAGES):
        server.route(f"/news/{n}.html", Reply(200, _article(n), delay=DELAY))
    server.route("/news/missing.html", Reply(404, b"gone", delay=DELAY))
    source = source_for(server, per_host_concurrency=2)
    urls = [server.url(f"/news/{n}.html") for n in range(PAGES)]
    urls.insert(3, server.url("/news/missing.html"))
    targets = [FetchTarget(url) for url in urls]
    archive = RawArchive(tmp_path)
    handed: list[tuple[float, list[str]]] = []

    async def extract(fetched: list[tuple[FetchTarget, FetchResult]]) -> SourceOutcome:
        handed.append((time.monotonic(), [target.url for target, _ in fetched]))
        return await asyncio.to_thread(archive_and_extract, archive, source, fetched, run_id="r")

    async def go() -> SourceOutcome:
        async with Fetcher(FAST) as fetcher:
            return await fetch_and_extract(
                source, fetcher, targets, run_id="r", extract=extract, group_size=3
            )

    outcome = asyncio.run(go())

    last_arrival = max(r.at for r in server.requests_to("/news/7.html"))
    # the first group went to the extractor before the batch's last request reached the host
    assert handed[0][0] < last_arrival
    assert [len(urls_) for _, urls_ in handed] == [3, 2, 3]  # the 404 is not extracted
    assert [page.url for page in outcome.pages] == [u for u in urls if "missing" not in u]
    assert [a.record.title for a in outcome.articles] == [f"Notice {n}" for n in range(PAGES)]
    assert outcome.counts["articles_fetched"] == PAGES
    assert [(e.url, e.status) for e in outcome.errors] == [(urls[3], 404)]
