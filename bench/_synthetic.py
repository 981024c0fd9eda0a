"""A synthetic municipal newsroom network for ``bench/crawl.py``: H hosts, N articles each.

Run as its own process (so that its CPU is not charged to the pipeline)::

    .venv/bin/python bench/_synthetic.py --hosts 8 --articles 500 --latency-ms 50

It prints one JSON line ``{"ports": [...], "since": "YYYY-MM-DD", "listing_pages": P}`` and
serves until stdin closes or it gets SIGTERM. Each host is a real threaded HTTP/1.1 server on
127.0.0.1 that sleeps the latency before every answer (robots.txt and 304s included):

* ``/robots.txt`` allows everything;
* ``/news/`` and ``/news/page/2/`` ... list 20 articles per page, newest first, each with a
  date, and a ``rel="next"`` "Next »" link, inside site chrome (menu, hot list, footer);
* ``/news/YYYY/MM/slug-K.html`` is a 5-10 KB press release (header, breadcrumbs, ``<h1>``,
  date line, byline, 6-14 paragraphs, contact block, footer), three articles a day;
* every 200 carries ``ETag`` and ``Last-Modified``; a matching ``If-None-Match`` (or, without
  it, ``If-Modified-Since``) gets a bodiless 304.

``/__stats`` on any port (not counted) returns the request log totals as JSON: requests by kind
(robots, listing, article), 304s, 200s and body bytes sent; ``/__timeline`` returns every
request since the last reset as ``[host, kind, arrived, answered]`` (seconds, monotonic clock);
``/__reset`` zeroes both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["PER_PAGE", "Network", "article_time", "listing_pages"]

PER_PAGE = 20
NEWEST = datetime(2024, 6, 28, 17, 0, tzinfo=UTC)
STEP = timedelta(hours=8)
_TEXT = (
    "council city county mayor residents program funding public works department street "
    "project community service water park library budget meeting board approved grant "
    "construction safety police fire emergency district school transit housing development "
    "planning commission hearing ordinance notice repairs closure traffic downtown center "
    "local state federal infrastructure improvement sewer bridge road lane pavement annual "
    "report health clinic vaccination senior youth recreation summer event festival volunteer"
)
_WORDS = _TEXT.split()
_TOPICS = [
    "Road closure", "Council approves", "Water main replacement", "Library expands",
    "Park renovation", "Budget hearing", "Public safety update", "Transit service change",
    "Housing grant awarded", "Summer festival returns", "Bridge inspection", "Recycling pickup",
]  # fmt: skip


def article_time(index: int) -> datetime:
    """Publication time of article ``index`` (0 is the newest)."""
    return NEWEST - index * STEP


def listing_pages(articles: int) -> int:
    """How many listing pages a host with ``articles`` articles has."""
    return max(1, -(-articles // PER_PAGE))


def _slug(index: int) -> str:
    words = _TOPICS[index % len(_TOPICS)].lower().replace(" ", "-")
    return f"{words}-{index}"


def article_path(index: int) -> str:
    when = article_time(index)
    return f"/news/{when:%Y}/{when:%m}/{_slug(index)}.html"


def _title(host: int, index: int) -> str:
    return f"{_TOPICS[index % len(_TOPICS)]}: notice {index} from district {host + 1}"


_CHROME_TOP = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | City of Example {host}</title>
<link rel="stylesheet" href="/static/site.css"></head><body>
<header class="site-header"><a class="logo" href="/">City of Example {host}</a>
<nav class="main-menu"><ul><li><a href="/">Home</a></li><li><a href="/government/">Government</a>
</li><li><a href="/services/">Services</a></li><li><a href="/news/">News</a></li>
<li><a href="/contact/">Contact Us</a></li></ul></nav></header>
"""
_CHROME_BOTTOM = """<aside class="sidebar"><h3>Popular</h3><ul>
<li><a href="/services/trash/">Trash and recycling schedule</a></li>
<li><a href="/services/permits/">Apply for a permit</a></li>
<li><a href="/government/council/">City Council agendas</a></li></ul></aside>
<footer class="site-footer"><p>City of Example {host}, 100 Main Street. Phone 555-0100.</p>
<p><a href="/privacy/">Privacy</a> | <a href="/accessibility/">Accessibility</a></p></footer>
</body></html>
"""


def render_article(host: int, index: int) -> bytes:
    """The HTML of one press release (deterministic, 5-10 KB)."""
    rng = random.Random(host * 1_000_003 + index)
    title = _title(host, index)
    when = article_time(index)
    paragraphs = []
    for _ in range(rng.randint(6, 14)):
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    body = "\n".join(paragraphs)
    html = (
        _CHROME_TOP.format(title=title, host=host + 1)
        + f"""<main id="content"><div class="breadcrumbs"><a href="/">Home</a> &gt;
<a href="/news/">News</a></div>
<article class="news-item"><h1 class="news-title">{title}</h1>
<div class="news-meta">Posted on {when:%B} {when.day}, {when:%Y} {when:%I:%M %p} UTC
| By Office of Communications</div>
<div class="news-body">
{body}
<p class="contact">Media contact: Communications Office, press@example{host + 1}.gov</p>
</div></article></main>
"""
        + _CHROME_BOTTOM.format(host=host + 1)
    )
    return html.encode("utf-8")


def render_listing(host: int, page: int, articles: int) -> bytes | None:
    """Listing page ``page`` (1-based), or None past the last one."""
    total = listing_pages(articles)
    if page < 1 or page > total:
        return None
    first = (page - 1) * PER_PAGE
    items = []
    for index in range(first, min(first + PER_PAGE, articles)):
        when = article_time(index)
        items.append(
            f'<li class="news-item"><a href="{article_path(index)}">{_title(host, index)}</a>'
            f' <span class="date">{when:%m/%d/%Y}</span></li>'
        )
    nav = ""
    if page < total:
        nav = f'<a rel="next" class="next" href="/news/page/{page + 1}/">Next &raquo;</a>'
    html = (
        _CHROME_TOP.format(title="News", host=host + 1)
        + '<main id="content"><h1>News Flash</h1><ul class="news-list">\n'
        + "\n".join(items)
        + f'\n</ul><div class="pager">Page {page} of {total} {nav}</div></main>\n'
        + _CHROME_BOTTOM.format(host=host + 1)
    )
    return html.encode("utf-8")


class Network:
    """H threaded servers answering the synthetic site, with shared request counters."""

    def __init__(self, hosts: int, articles: int, latency: float) -> None:
        self.articles = articles
        self.latency = latency
        self.stats: Counter[str] = Counter()
        self.timeline: list[tuple[int, str, float, float]] = []
        self.lock = threading.Lock()
        self.by_path = {article_path(i): i for i in range(articles)}
        self.servers = [self._server(host) for host in range(hosts)]

    @property
    def ports(self) -> list[int]:
        return [s.server_address[1] for s in self.servers]

    def start(self) -> None:
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def count(self, **deltas: int) -> None:
        with self.lock:
            self.stats.update(deltas)

    def answer(self, host: int, path: str) -> tuple[str, bytes | None, datetime | None]:
        """(kind, body, last-modified) for a path; body None means 404."""
        if path == "/robots.txt":
            return "robots", b"User-agent: *\nAllow: /\n", None
        if path == "/news/" or path.startswith("/news/page/"):
            number = path.removeprefix("/news/").removeprefix("page/").strip("/") or "1"
            page = int(number) if number.isdigit() else 0
            return "listing", render_listing(host, page, self.articles), NEWEST
        index = self.by_path.get(path)
        if index is None:
            return "other", None, None
        return "article", render_article(host, index), article_time(index)

    def _server(self, host: int) -> ThreadingHTTPServer:
        network = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle on, the body waits for the
            # client's delayed ACK (~40 ms), which made every 200 take L + 40 ms. Real servers
            # (nginx, Apache) send with TCP_NODELAY.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in ("/__stats", "/__reset", "/__timeline"):
                    with network.lock:
                        if path == "/__reset":
                            network.stats.clear()
                            network.timeline.clear()
                        data = network.timeline if path == "/__timeline" else dict(network.stats)
                        payload = json.dumps(data).encode()
                    self._send(200, payload, {"Content-Type": "application/json"})
                    return
                arrived = time.monotonic()
                time.sleep(network.latency)
                kind, body, modified = network.answer(host, path)
                network.count(requests=1, **{f"requests_{kind}": 1})
                with network.lock:
                    network.timeline.append((host, kind, arrived, time.monotonic()))
                if body is None:
                    network.count(status_404=1)
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
                headers = {"ETag": etag, "Content-Type": "text/html; charset=utf-8"}
                if kind == "robots":
                    headers["Content-Type"] = "text/plain"
                if modified is not None:
                    headers["Last-Modified"] = format_datetime(modified, usegmt=True)
                if _not_modified(self.headers, etag, modified):
                    network.count(status_304=1, **{f"not_modified_{kind}": 1})
                    self._send(304, b"", headers)
                    return
                network.count(
                    status_200=1, body_bytes=len(body), **{f"body_bytes_{kind}": len(body)}
                )
                self._send(200, body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body) if status != 304 else 0))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

        server = _QuietServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        return server


class _QuietServer(ThreadingHTTPServer):
    """A client closing a kept-alive connection is not an error worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def _not_modified(headers: Any, etag: str, modified: datetime | None) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        return etag in {t.strip().removeprefix("W/") for t in inm.split(",")}
    ims = headers.get("If-Modified-Since")
    if not ims or modified is None:
        return False
    try:
        return modified <= parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    network = Network(args.hosts, args.articles, args.latency_ms / 1000)
    network.start()
    oldest = article_time(args.articles - 1)
    info = {
        "ports": network.ports,
        "since": oldest.date().isoformat(),
        "listing_pages": listing_pages(args.articles),
    }
    print(json.dumps(info), flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or kills us)
    finally:
        network.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
