"""Per-response faults, each answered by a real server: the run finishes and says why.

One small newsroom on loopback lists sixteen articles: four good ones and one per fault. An
``ingest`` over it must finish (completed, not failed), load every article that can be loaded,
and leave for each faulty one a ``fetch_errors`` row or an article row with a warning, with a
reason a person can act on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.flows.ingest import ingest
from tests.e2e.conftest import query
from tests.faults.server import (
    FaultServer,
    chunked,
    page,
    redirect,
    reset,
    slow_headers,
    truncated,
)

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

CAP = 60_000
ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
</head><body><nav><a href="/">Home</a> <a href="/news/">News</a></nav>
<main><article><h1>{title}</h1><p class="date">Posted on March {day}, 2024</p>
<p>The city council approved the {title_lower} on Tuesday evening after a public hearing
that drew more than forty residents to the chamber.</p>
<p>Work begins next month; residents can read the full plan at the public library or on the
city website, and can send questions to the communications office.</p>
</article></main><footer>City of Faultville</footer></body></html>"""

GOOD = {f"/news/good-{n}.html": f"Good news number {n} for the city" for n in range(1, 5)}
#: path -> (title in the listing, what the fault must leave behind)
FAULTS = {
    "/news/reset.html": ("Connection reset story", "ReadError"),
    "/news/truncated.html": ("Truncated body story", "complete message body"),
    "/news/slow.html": ("Slow headers story", "timeout"),
    "/news/huge.html": ("Huge page with a length", "byte cap"),
    "/news/huge-stream.html": ("Huge page streamed in chunks", "byte cap"),
    "/news/pdf.html": ("A PDF served as a web page", "not an HTML page"),
    "/news/loop.html": ("Redirect loop story", "redirect loop"),
    "/news/elsewhere.html": ("Redirect to another host", "not one of the source's hosts"),
    "/news/empty.html": ("An empty page story", "not an HTML page"),
    "/news/no-article.html": ("A page with no article", "no article body found"),
}
#: faults the pipeline must get through and still load (with the body it can read)
LOADED_FAULTS = {
    "/news/bad-utf8.html": "Invalid UTF-8 story",
    "/news/deep.html": "Deeply nested story",
    "/news/broken.html": "Broken markup story",
}


def _article(title: str, day: int = 5) -> bytes:
    return ARTICLE.format(title=title, title_lower=title.lower(), day=day).encode()


def _listing(server: FaultServer) -> bytes:
    titles = {**GOOD, **{p: t for p, (t, _) in FAULTS.items()}, **LOADED_FAULTS}
    items = "\n".join(
        f'<li><a href="{path}">{title}</a> <span>March {n + 1}, 2024</span></li>'
        for n, (path, title) in enumerate(titles.items())
    )
    return (
        "<html><body><nav><a href='/'>Home</a></nav><h1>News Flash</h1>"
        f"<ul class='news'>{items}</ul><footer>City of Faultville</footer></body></html>"
    ).encode()


def _serve_faults(server: FaultServer) -> None:
    for path, title in GOOD.items():
        server.route(path, page(_article(title)))
    server.route("/news/reset.html", reset)
    server.route("/news/truncated.html", truncated(_article("Truncated")[:300], 9_000))
    server.route("/news/slow.html", slow_headers(1.0, page(_article("Slow"))))
    server.route("/news/huge.html", page(_article("Huge") + b"<p>x</p>" * (CAP // 8)))
    server.route("/news/huge-stream.html", chunked([b"<p>more text</p>" * 400] * 20))
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\nstream\n\x00\xff\x10"
    server.route("/news/pdf.html", page(pdf * 40))
    bad = _article(LOADED_FAULTS["/news/bad-utf8.html"]).replace(b"residents", b"resi\xff\xfe", 1)
    server.route("/news/bad-utf8.html", page(bad))
    deep = _article(LOADED_FAULTS["/news/deep.html"]).replace(
        b"<main>", b"<main>" + b"<div>" * 5_000, 1
    )
    server.route("/news/deep.html", page(deep))
    broken = (
        b"<html><body><h1>Broken markup story<p class=date>Posted on March 5, 2024"
        b"<div><p>The council approved <b>the <i>new budget on Tuesday evening after a long "
        b"public hearing that drew many residents.</div></span><table><tr><td>cell"
        b"<p>Work begins next month on the repairs that residents asked for last year.</html>"
    )
    server.route("/news/broken.html", page(broken))
    server.route("/news/loop.html", redirect("/news/loop-2.html"))
    server.route("/news/loop-2.html", redirect("/news/loop.html"))
    server.route("/news/elsewhere.html", redirect(server.url("/news/good-1.html", "localhost")))
    server.route("/news/empty.html", page(b""))
    chrome = b"<html><body><nav><ul><li><a href='/'>Home</a></li></ul></nav><footer>x</footer>"
    server.route("/news/no-article.html", page(chrome + b"</body></html>"))
    server.route("/news/", page(_listing(server)))


@pytest.fixture(scope="module")
def site() -> Iterator[FaultServer]:
    with FaultServer() as server:
        _serve_faults(server)
        yield server


@pytest.fixture(scope="module")
def loaded(site: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run one ingest over the faulty site; returns the warehouse."""
    folder = tmp_path_factory.mktemp("faults")
    config = folder / "pressroom.toml"
    config.write_text(
        f"""
[warehouse]
path = "wh.duckdb"

[crawler]
connect_timeout = 1.0
read_timeout = 0.3
max_attempts = 2
backoff_base_seconds = 0.01
max_response_bytes = {CAP}

[[sources]]
id = "faultville"
start_urls = ["{site.url("/news/")}"]
timezone = "America/Chicago"
language = "en-US"
""",
        encoding="utf-8",
    )
    asyncio.run(ingest(config_path=str(config)))
    return folder / "wh.duckdb"


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_run_finishes_and_every_loadable_article_loads(loaded: Path) -> None:
    ((status, errors),) = query(loaded, "SELECT status, errors FROM runs")
    assert status in ("completed", "degraded")
    titles = {_path(url): title for url, title in query(loaded, "SELECT url, title FROM articles")}
    for path, title in {**GOOD, **LOADED_FAULTS}.items():
        assert titles.get(path) == title, path
    failed = {_path(u) for (u,) in query(loaded, "SELECT url FROM fetch_errors")}
    assert errors == len(failed)


@pytest.mark.parametrize("path", list(FAULTS), ids=[p.split("/")[-1] for p in FAULTS])
def test_each_fault_leaves_a_clear_reason(loaded: Path, path: str) -> None:
    _, expected = FAULTS[path]
    reasons = [
        f"{stage}: {reason}"
        for url, stage, reason in query(loaded, "SELECT url, stage, reason FROM fetch_errors")
        if _path(url) == path
    ]
    warnings = [
        w
        for url, found in query(loaded, "SELECT url, warnings FROM articles")
        if _path(url) == path
        for w in found or []
    ]
    assert reasons or warnings, f"{path}: no fetch_errors row and no warning"
    assert any(expected in text for text in reasons + warnings), (path, reasons, warnings)


def test_the_size_cap_stops_the_stream(site: FaultServer) -> None:
    # 20 chunks of 6.4 KB were offered; the fetcher must stop reading past the 60 KB cap,
    # and never retry it: a body too large is not a transient fault
    assert site.count("/news/huge-stream.html") == 1
    assert site.count("/news/huge.html") == 1


def test_a_reset_names_the_reset(loaded: Path) -> None:
    ((reason,),) = query(loaded, "SELECT reason FROM fetch_errors WHERE url LIKE '%/reset.html'")
    assert "reset" in reason or "closed" in reason, reason


def test_one_invalid_byte_does_not_garble_a_utf8_page() -> None:
    from pressroom.extractors.encoding import decode_html

    text = "<h1>Mayor’s “State of the City” address</h1><p>" + "The council met. " * 60
    body = text.encode("utf-8").replace(b"council", b"caf\xe9", 1)
    assert "Mayor’s “State of the City” address" in decode_html(body, "text/html; charset=utf-8")
