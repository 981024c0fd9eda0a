"""Raw archive: put/get round trip, latest per URL, since filter, atomic files."""

from __future__ import annotations

import asyncio
import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult

from .helpers import FAST, source_for
from .server import Reply, TestServer

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _result(url: str, body: bytes, at: datetime) -> FetchResult:
    return FetchResult(
        url=url, final_url=url + "?final", status=200, content=body,
        headers={"content-type": "text/html; charset=gbk"}, etag='"e"', last_modified=None,
        fetched_at=at, attempts=2,
    )  # fmt: skip


def test_round_trip_of_a_real_response(server: TestServer, tmp_path: Path) -> None:
    body = "<html><title>通知</title></html>".encode("gbk")
    server.route("/robots.txt", Reply(404))
    server.route("/news/1.html", Reply(200, body, {"Content-Type": "text/html; charset=gbk"}))

    async def go() -> FetchResult:
        async with Fetcher(FAST) as fetcher:
            return await fetcher.fetch(source_for(server), server.url("/news/1.html"))

    result = asyncio.run(go())
    archive = RawArchive(tmp_path)
    key = archive.put("city", result)
    assert key.startswith("city/") and key.endswith(".gz")
    assert archive.get(key) == result
    raw = gzip.decompress((tmp_path / key).read_bytes())
    assert raw.endswith(body) and b'"final_url"' in raw.split(b"\n", 1)[0]
    assert [p.name for p in (tmp_path / key).parent.iterdir()] == [Path(key).name]


def test_latest_per_url_and_since(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    archive.put("city", _result("https://x.org/a", b"v1", T0))
    newest_a = archive.put(
        "city", _result("https://x.org/a?utm_source=z", b"v2", T0 + timedelta(hours=1))
    )
    old_b = archive.put("city", _result("https://x.org/b", b"b", T0 - timedelta(days=3)))
    archive.put("other", _result("https://x.org/c", b"c", T0))
    found = dict(archive.iter_source("city"))
    assert set(found) == {newest_a, old_b}
    assert found[newest_a].content == b"v2" and found[newest_a].attempts == 2
    recent = dict(archive.iter_source("city", since=T0 - timedelta(days=1)))
    assert set(recent) == {newest_a}
    assert list(archive.iter_source("nobody")) == []


def test_refuses_bodiless_results_and_bad_keys(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    not_modified = FetchResult(
        "https://x.org/a", "https://x.org/a", 304, None, {}, '"e"', None, T0, 1, True
    )
    with pytest.raises(ValueError, match="nothing to archive"):
        archive.put("city", not_modified)
    with pytest.raises(ValueError, match="unsafe source id"):
        archive.put("../etc", _result("https://x.org/a", b"x", T0))
    with pytest.raises(KeyError):
        archive.get("../../etc/passwd")
