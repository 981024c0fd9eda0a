"""Serve the demo newsroom over real HTTP on 127.0.0.1, one server per template family.

``DemoNewsroom`` is what ``pressroom demo`` and the tests use::

    with DemoNewsroom() as newsroom:
        newsroom.start_urls("hightech")   # ['http://127.0.0.1:40123/en/news/index.html']
        newsroom.articles("cityhall")     # ground truth, newest first
        newsroom.requests("hightech")     # what was asked, with request headers

Every 200 response carries ``ETag`` (a hash of the body with the server's own base URL
masked, so it is stable across restarts and ports) and ``Last-Modified`` (from the data, see
``site.py``); ``If-None-Match`` (preferred) and ``If-Modified-Since`` get a bodiless 304.
Nothing is logged to stderr.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from pressroom.demo import cityhall, hightech
from pressroom.demo.content import FAMILIES, DemoArticle, Family
from pressroom.demo.site import DemoSite, Response

__all__ = ["DemoNewsroom", "RequestRecord"]


@dataclass(frozen=True)
class RequestRecord:
    """One request the demo server answered. ``headers`` has lower-cased names."""

    family: Family
    method: str
    path: str
    status: int
    headers: Mapping[str, str]


def _etag(body: bytes, base_url: str) -> str:
    """A strong ETag of the body with the server's own address masked (raw and %-encoded)."""
    for form in (base_url, quote(base_url, safe="")):
        body = body.replace(form.encode(), b"{base}")
    return f'"{hashlib.sha256(body).hexdigest()[:24]}"'


def _not_modified(headers: Mapping[str, str], etag: str, modified: datetime | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only when it is absent."""
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = headers.get("if-modified-since")
    if ims and modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return modified.replace(microsecond=0) <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, newsroom: DemoNewsroom, site: DemoSite, port: int = 0) -> None:
        self.newsroom = newsroom
        self.site = site
        super().__init__(("127.0.0.1", port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that hangs up mid-response is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes
    _SERVER_NAMES: Mapping[str, str] = {"hightech": "nginx", "cityhall": "Microsoft-IIS/10.0"}

    def version_string(self) -> str:
        return self._SERVER_NAMES.get(self.server.site.family, "pressroom-demo")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is kept in memory, see ``DemoNewsroom.requests``."""

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        newsroom, site = self.server.newsroom, self.server.site
        headers = {k.lower(): v for k, v in self.headers.items()}
        latency = newsroom._latency.get(site.family, newsroom._latency.get(None, 0.0))
        if latency:
            time.sleep(latency)
        base = newsroom.base_url(site.family)
        response = newsroom._injected(site.family, self.path) or site.respond(self.path, base)
        extra: dict[str, str] = {}
        status = response.status
        body = response.body
        if status == 200:
            etag = _etag(body, base)
            extra["ETag"] = etag
            if response.last_modified is not None:
                extra["Last-Modified"] = format_datetime(response.last_modified, usegmt=True)
            if _not_modified(headers, etag, response.last_modified):
                status, body = 304, b""
        if response.location:
            extra["Location"] = response.location
        extra.update(response.headers)
        newsroom._record(RequestRecord(site.family, self.command, self.path, status, headers))
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "private")
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


class DemoNewsroom:
    """Both demo sites on loopback HTTP servers (ephemeral ports, daemon threads).

    Use as a context manager, or call :meth:`start` and :meth:`close`. Articles are
    identified by ``key``: an index into :meth:`articles` (newest first) or a URL path.

    ``ports`` asks for fixed ports per family (for example those of the previous run, so
    that article URLs stay the same); a port that is taken falls back to an ephemeral one.
    """

    def __init__(
        self,
        families: Iterable[Family] = FAMILIES,
        *,
        ports: Mapping[Family, int] | None = None,
    ) -> None:
        self.families: tuple[Family, ...] = tuple(families)
        self._ports = dict(ports or {})
        for family in self.families:
            if family not in FAMILIES:
                raise ValueError(f"unknown demo family {family!r} (known: {', '.join(FAMILIES)})")
        self._sites = {family: DemoSite(family) for family in self.families}
        self._servers: dict[Family, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._log: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._latency: dict[Family | None, float] = {}
        self._failures: dict[tuple[Family, str], list[Any]] = {}

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind every family's server on 127.0.0.1:0 and serve it in a daemon thread."""
        if self._servers:
            return self
        for family, site in self._sites.items():
            try:
                server = _Server(self, site, self._ports.get(family, 0))
            except OSError:  # the wished-for port is taken
                server = _Server(self, site)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"pressroom-demo-{family}",
                daemon=True,
            )
            thread.start()
            self._servers[family] = server
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stop the servers and release their ports."""
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ addresses

    def base_url(self, family: Family) -> str:
        """``http://127.0.0.1:PORT`` of the family's server (started)."""
        try:
            server = self._servers[family]
        except KeyError:
            raise RuntimeError(f"demo family {family!r} is not being served") from None
        return f"http://127.0.0.1:{server.server_address[1]}"

    def start_urls(self, family: Family) -> list[str]:
        """The first listing page, absolute."""
        mod = hightech if family == "hightech" else cityhall
        return [self.base_url(family) + mod.listing_path(0)]

    def listing_urls(self, family: Family) -> list[str]:
        """Every listing page, absolute, in order."""
        mod = hightech if family == "hightech" else cityhall
        pages = -(-len(self.articles(family)) // mod.PAGE_SIZE)
        return [self.base_url(family) + mod.listing_path(p) for p in range(pages)]

    def feed_url(self, family: Family) -> str | None:
        """The RSS feed (cityhall), else None."""
        return self.base_url(family) + cityhall.FEED_PATH if family == "cityhall" else None

    def sitemap_url(self, family: Family) -> str | None:
        """The sitemap (hightech), else None."""
        return self.base_url(family) + "/sitemap.xml" if family == "hightech" else None

    def url(self, family: Family, key: int | str | DemoArticle) -> str:
        """Absolute URL of an article (by key or record)."""
        path = key.path if isinstance(key, DemoArticle) else self.article(family, key).path
        return self.base_url(family) + path

    # ------------------------------------------------------------------ ground truth

    def articles(self, family: Family) -> list[DemoArticle]:
        """The family's articles as currently served, newest first (listing order)."""
        return self._site(family).newest_first()

    def article(self, family: Family, key: int | str) -> DemoArticle:
        """One article by index in :meth:`articles` or by URL path."""
        return self._site(family).find(key)

    # ------------------------------------------------------------------ test hooks

    def update_article(
        self,
        family: Family,
        key: int | str,
        *,
        paragraphs: Sequence[str] | None = None,
        title: str | None = None,
    ) -> DemoArticle:
        """Publish a correction at the same URL; the page's ETag and Last-Modified change."""
        return self._site(family).update(key, paragraphs=paragraphs, title=title)

    def add_article(
        self,
        family: Family,
        *,
        title: str,
        paragraphs: Sequence[str],
        published: datetime | None = None,
        author: str | None = None,
        origin: str | None = None,
    ) -> DemoArticle:
        """Publish a new article; by default one day after the newest, so it tops page 1."""
        return self._site(family).add(
            title=title,
            paragraphs=tuple(paragraphs),
            published=published,
            author=author,
            origin=origin,
        )

    def set_latency(self, seconds: float, family: Family | None = None) -> None:
        """Delay every response (of one family, or of all) by ``seconds``."""
        self._latency[family] = float(seconds)

    def fail(
        self,
        family: Family,
        path: str,
        status: int = 503,
        times: int = 1,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` requests for ``path`` (path and query) with ``status``,
        optionally with a ``Retry-After`` header (seconds)."""
        self._failures[(family, path)] = [status, times, retry_after]

    def requests(self, family: Family | None = None) -> list[RequestRecord]:
        """The request log (oldest first), for one family or all."""
        with self._log_lock:
            return [r for r in self._log if family is None or r.family == family]

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._log_lock:
            self._log.clear()

    # ------------------------------------------------------------------ internals

    def _site(self, family: Family) -> DemoSite:
        try:
            return self._sites[family]
        except KeyError:
            raise ValueError(f"demo family {family!r} is not part of this newsroom") from None

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)

    def _injected(self, family: Family, path: str) -> Response | None:
        with self._log_lock:
            failure = self._failures.get((family, path))
            if failure is None:
                return None
            failure[1] -= 1
            if failure[1] <= 0:
                del self._failures[(family, path)]
        status, _, retry_after = failure
        body = f"<html><body><h1>Error {status}</h1></body></html>".encode()
        headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
        return Response(status, body, headers=headers)
