"""Issue 12: a redesign that hides the date line does not overwrite good data; reparse repairs.

A loopback newsroom of six releases is ingested; then it is redesigned (the date moves into the
footer, where the generic extractor rightly ignores it, and one release is corrected in the
same go) and ingested again; then the source gets a ``date_selector`` for the new template and
is reparsed from the raw archive, with no network.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pressroom.flows.ingest import ingest
from pressroom.flows.reparse import reparse
from pressroom.warehouse import search
from tests.crawler.server import Reply, Request, TestServer
from tests.e2e.conftest import query, summaries_of

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

RELEASES = range(1, 7)
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><header><a href="/">Home</a> <a href="/news/">News</a></header>
<main><h1>{title}</h1>{dateline}<div class="body">
<p>The council approved the harbour budget for district {n} on Tuesday evening after a public
hearing that drew more than forty residents to the chamber.</p>
<p>{second}</p></div></main>{footer}</body></html>"""
SECOND = "Work begins next month; residents can read the plan at the public library."
CORRECTED = "Correction: work begins in two months; the plan is at the public library."


class Newsroom:
    """Six releases on a TestServer; ``redesigned`` moves the date line into the footer."""

    def __init__(self, server: TestServer) -> None:
        self.redesigned = False
        self.server = server
        links = "".join(
            f'<li><a href="/news/release-{n}.html">Harbour budget for district {n}</a></li>'
            for n in RELEASES
        )
        server.route("/news/", f"<html><body><h1>News</h1><ul>{links}</ul></body></html>")
        for n in RELEASES:
            server.route(f"/news/release-{n}.html", self._article(n))

    def _article(self, n: int) -> Callable[[Request], Reply]:
        def answer(request: Request) -> Reply:
            stamp = f"2024-03-0{n} 10:00"
            title = f"Harbour budget for district {n}"
            if self.redesigned:
                body = PAGE.format(
                    title=title,
                    n=n,
                    dateline="",
                    second=CORRECTED if n == 1 else SECOND,
                    footer=f'<footer><span class="stamp">{stamp}</span></footer>',
                )
            else:
                dateline = f'<p class="date">Date: {stamp}</p>'
                body = PAGE.format(title=title, n=n, dateline=dateline, second=SECOND, footer="")
            etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
            if request.headers.get("if-none-match") == etag:
                return Reply(304, headers={"ETag": etag})
            headers = {"ETag": etag, "Content-Type": "text/html; charset=utf-8"}
            return Reply(200, body.encode(), headers=headers)

        return answer


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Newsroom, Path, Path]]:
    with TestServer() as server:
        config = tmp_path / "pressroom.toml"
        config.write_text(_config(server.url("/news/")), encoding="utf-8")
        yield Newsroom(server), config, tmp_path / "wh.duckdb"


def _config(start: str, extra: str = "") -> str:
    return f"""
[warehouse]
path = "wh.duckdb"

[crawler]
max_attempts = 1
parse_workers = 0

[[sources]]
id = "harbour"
start_urls = ["{start}"]
timezone = "UTC"
language = "en"
{extra}
"""


def _dates(warehouse: Path) -> list[tuple[str, datetime | None]]:
    return query(warehouse, "SELECT title, published_at FROM articles ORDER BY title")


def test_a_redesign_keeps_stored_dates_and_reparse_brings_the_correction(site) -> None:
    newsroom, config, warehouse = site
    asyncio.run(ingest(config_path=str(config)))
    dated = _dates(warehouse)
    assert [d for _, d in dated] == [datetime(2024, 3, n, 10, tzinfo=UTC) for n in RELEASES]
    daily = query(warehouse, "SELECT day, articles FROM daily_counts ORDER BY day")

    newsroom.redesigned = True
    (summary,) = summaries_of(ingest(config_path=str(config)))
    assert summary["status"] == "degraded"
    assert _dates(warehouse) == dated
    assert query(warehouse, "SELECT day, articles FROM daily_counts ORDER BY day") == daily
    assert len(search(warehouse, "harbour", since=date(2024, 3, 1))) == 6
    assert query(warehouse, "SELECT count(*) FROM article_versions") == [(6,)]
    assert query(
        warehouse, "SELECT count(*) FROM articles WHERE body_text LIKE '%Correction%'"
    ) == [(0,)]
    ((status, lost, notes),) = query(
        warehouse, "SELECT status, lost_fields, notes FROM runs ORDER BY started_at DESC LIMIT 1"
    )
    assert (status, lost) == ("degraded", 6)
    assert "6 of 6 known articles seen again were extracted without fields" in notes
    reasons = query(warehouse, "SELECT DISTINCT stage, reason FROM fetch_errors")
    assert reasons == [("extract", "extraction lost fields: published_at; stored values kept")]

    config.write_text(
        _config(newsroom.server.url("/news/"), 'date_selector = "footer .stamp"'),
        encoding="utf-8",
    )
    asyncio.run(reparse(config_path=str(config)))
    assert _dates(warehouse) == dated
    assert query(
        warehouse,
        "SELECT status, articles_updated, articles_unchanged, lost_fields FROM runs"
        " WHERE mode = 'reparse'",
    ) == [("completed", 1, 5, 0)]
    ((versions, body),) = query(
        warehouse,
        "SELECT count(*), any_value(a.body_text) FROM article_versions"
        " JOIN articles AS a USING (article_id) WHERE a.url LIKE '%release-1.html'",
    )
    assert versions == 2 and body.endswith(CORRECTED)
