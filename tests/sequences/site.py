"""An evolving newsroom on 127.0.0.1: a Python model that tests mutate between runs.

:class:`Newsroom` holds dated articles (newest first on paginated listings, ``PER_PAGE`` a
page: ``/news/index.html``, ``/news/index_1.html``, ... each with a "Next" link) and serves
them over real HTTP through :class:`tests.crawler.server.TestServer`. Every 200 carries an
``ETag`` (a hash of the body, so it changes exactly when the page does) and a
``Last-Modified`` (the site clock when the body last changed); ``If-None-Match`` (or, without
it, ``If-Modified-Since``) gets a 304.

Mutations: :meth:`add`, :meth:`correct`, :meth:`remove` (the page answers 404),
:meth:`redesign` (the template drops the date line, or the body moves into a script that only
a browser renders), :meth:`repair`, and failures that last until :meth:`clear_failures`:
the next K requests answer 503, robots.txt answers 500, the next K requests are slower than
the crawler's read timeout.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from types import TracebackType
from typing import Literal, Self

from tests.crawler.server import Reply, Request, TestServer

__all__ = ["PER_PAGE", "Article", "Newsroom", "Served", "Template", "make_article"]

PER_PAGE = 5
HTML = {"Content-Type": "text/html; charset=utf-8"}
Template = Literal["normal", "no-date", "no-body"]
_CLOCK_START = datetime(2025, 6, 1, tzinfo=UTC)
_WORDS = [
    "council",
    "water",
    "budget",
    "park",
    "library",
    "road",
    "transit",
    "housing",
    "school",
    "festival",
    "bridge",
    "grant",
    "permit",
    "recycling",
    "election",
    "harbour",
    "museum",
    "clinic",
    "market",
    "zoning",
]


@dataclass(frozen=True)
class Article:
    """One article of the model: what the warehouse must end up holding for it."""

    number: int
    published: date
    title: str
    paragraphs: tuple[str, ...]
    revision: int = 0
    author: str = "Jordan Lee"
    origin: str = "Office of Communications"

    @property
    def path(self) -> str:
        return f"/news/a{self.number:04d}.html"

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)


def make_article(number: int, published: date, revision: int = 0) -> Article:
    """A deterministic article: title and three paragraphs derived from its number."""
    a, b = _WORDS[number % len(_WORDS)], _WORDS[(number * 7 + 3) % len(_WORDS)]
    note = f" (revision {revision})" if revision else ""
    paragraphs = (
        f"The city announced news number {number} about the {a} and the {b}{note}.",
        f"Residents can read the full {a} report at city hall from {published:%B} onwards; "
        f"the {b} plan follows after a public hearing.",
        f"Questions about item {number} go to the Office of Communications by email or phone.",
    )
    return Article(number, published, f"City update {number}: {a} and {b}", paragraphs, revision)


@dataclass(frozen=True)
class Served:
    """One answer the site gave: the path, the status, whether validators were sent."""

    path: str
    status: int
    conditional: bool

    @property
    def article(self) -> bool:
        return self.path.startswith("/news/a")


@dataclass
class _Failures:
    errors: int = 0  # the next N requests answer 503
    slow: int = 0  # the next N requests wait past the read timeout
    robots_down: bool = False  # robots.txt answers 500
    paths: dict[str, int] = field(default_factory=dict)  # path -> the next N requests 503


@dataclass
class Newsroom:
    """The model and its server. Use as a context manager; URLs come from :meth:`url`."""

    articles: list[Article] = field(default_factory=list)  # newest first
    removed: dict[int, Article] = field(default_factory=dict)
    template: Template = "normal"
    slow_seconds: float = 1.0
    article_delay: float = 0.0  # every article page waits this long (to kill a run mid-way)
    served: list[Served] = field(default_factory=list)
    failures: _Failures = field(default_factory=_Failures)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _validators: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    _clock: datetime = _CLOCK_START
    _next_number: int = 1
    _server: TestServer | None = None

    # -- model -------------------------------------------------------------------------

    @classmethod
    def dated(cls, first: date, count: int, every_days: int) -> Newsroom:
        """``count`` articles, the oldest on ``first``, one every ``every_days`` days."""
        site = cls()
        for i in range(count):
            site.add(first + timedelta(days=i * every_days))
        return site

    def add(self, published: date | None = None) -> Article:
        """A new article, newer than every other (one day after the newest by default)."""
        newest = self.articles[0].published if self.articles else date(2024, 1, 1)
        published = published or newest + timedelta(days=1)
        with self._lock:
            article = make_article(self._next_number, max(published, newest))
            self._next_number += 1
            self.articles.insert(0, article)
            self._tick()
        self._route(article.path)
        self._route(self.listing_path(self.page_count + 40))
        return article

    def correct(self, index: int) -> Article:
        """A correction of the ``index``-th newest article: new body text, same fields."""
        with self._lock:
            old = self.articles[index]
            self.articles[index] = make_article(old.number, old.published, old.revision + 1)
            self._tick()
            return self.articles[index]

    def remove(self, index: int) -> Article:
        """Take the ``index``-th newest article off the site: its page answers 404."""
        with self._lock:
            article = self.articles.pop(index)
            self.removed[article.number] = article
            self._tick()
            return article

    def redesign(self, template: Template) -> None:
        with self._lock:
            self.template = template
            self._tick()

    def repair(self) -> None:
        self.redesign("normal")

    def fail_requests(self, count: int) -> None:
        self.failures.errors = count

    def fail_path(self, path: str, count: int) -> None:
        """The next ``count`` requests for ``path`` answer 503."""
        self.failures.paths[path] = count

    def slow_requests(self, count: int) -> None:
        self.failures.slow = count

    def robots_down(self) -> None:
        self.failures.robots_down = True

    def clear_failures(self) -> None:
        self.failures = _Failures()

    @property
    def failing(self) -> bool:
        f = self.failures
        return bool(f.errors or f.slow or f.robots_down or any(f.paths.values()))

    def by_path(self) -> dict[str, Article]:
        return {a.path: a for a in self.articles}

    def _tick(self) -> None:
        self._clock += timedelta(hours=1)

    # -- pages -------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.articles) // PER_PAGE))

    @staticmethod
    def listing_path(page: int) -> str:
        return "/news/index.html" if page == 0 else f"/news/index_{page}.html"

    def listing_paths(self) -> list[str]:
        return [self.listing_path(p) for p in range(self.page_count)]

    def _listing(self, page: int) -> bytes | None:
        if page >= self.page_count:
            return None
        rows = "".join(
            f'<li><a href="{a.path}">{html.escape(a.title)}</a>'
            f' <span class="date">{a.published:%Y-%m-%d}</span></li>'
            for a in self.articles[page * PER_PAGE : (page + 1) * PER_PAGE]
        )
        nxt = (
            f'<a class="next" href="{self.listing_path(page + 1)}">Next</a>'
            if page + 1 < self.page_count
            else ""
        )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>News - page {page + 1}</title></head><body>"
            '<header><nav><a href="/">Home</a> <a href="/news/index.html">News</a></nav></header>'
            f'<main><h1>News</h1><ul class="news-list">{rows}</ul>'
            f'<div class="pages">{nxt}</div></main>'
            "<footer><p>City of Sequence, 1 Main Street</p></footer></body></html>"
        ).encode()

    def _article(self, article: Article) -> bytes:
        title = html.escape(article.title)
        dateline = (
            f'<p class="dateline">Published: {article.published:%B %-d, %Y}</p>'
            if self.template != "no-date"
            else ""
        )
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        if self.template == "no-body":  # rendered by a script in the browser only
            data = json.dumps({"paragraphs": list(article.paragraphs)})
            body = f'<div id="app"></div><script>window.__STORY__ = {data};</script>'
        else:
            body = f'<div class="article-body">{paragraphs}</div>'
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{title} - City of Sequence</title></head><body>"
            '<header><nav><a href="/">Home</a> <a href="/news/index.html">News</a></nav></header>'
            f"<main><article><h1>{title}</h1>{dateline}"
            f'<p class="byline">Author: {html.escape(article.author)}</p>'
            f"{body}"
            f'<p class="source">Source: {html.escape(article.origin)}</p>'
            "</article></main>"
            "<footer><p>City of Sequence, 1 Main Street</p></footer></body></html>"
        ).encode()

    def _body(self, path: str) -> bytes | None:
        if path.startswith("/news/index"):
            pages = {self.listing_path(p): p for p in range(self.page_count)}
            return self._listing(pages[path]) if path in pages else None
        article = self.by_path().get(path)
        return self._article(article) if article else None

    # -- HTTP --------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        """Answer one request from the current model (this runs in a server thread)."""
        with self._lock:
            delay = self.article_delay if request.path.startswith("/news/a") else 0.0
            if self.failures.slow > 0:
                self.failures.slow -= 1
                delay = self.slow_seconds
            reply = self._answer(request)
            conditional = (
                "if-none-match" in request.headers or "if-modified-since" in request.headers
            )
            self.served.append(Served(request.path, reply.status, conditional))
            return replace(reply, delay=delay)

    def _answer(self, request: Request) -> Reply:
        """The reply the model gives now (the caller holds the lock)."""
        if request.path == "/robots.txt":
            if self.failures.robots_down:
                return Reply(500, b"robots are down")
            return Reply(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        if self.failures.errors > 0:
            self.failures.errors -= 1
            return Reply(503, b"busy")
        if self.failures.paths.get(request.path, 0) > 0:
            self.failures.paths[request.path] -= 1
            return Reply(503, b"busy")
        body = self._body(request.path)
        if body is None:
            return Reply(404, b"not found", HTML)
        etag, modified = self._validate(request.path, body)
        headers = {**HTML, "ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
        if _not_modified(request.headers, etag, modified):
            return Reply(304, headers=headers)
        return Reply(200, body, headers)

    def _validate(self, path: str, body: bytes) -> tuple[str, datetime]:
        etag = f'"{hashlib.sha256(body).hexdigest()[:20]}"'
        known = self._validators.get(path)
        if known is None or known[0] != etag:
            known = self._validators[path] = (etag, self._clock)
        return known

    def _route(self, path: str) -> None:
        if self._server is not None:
            self._server.route(path, self.handle)

    def _paths(self) -> Iterator[str]:
        yield "/robots.txt"
        yield from (self.listing_path(p) for p in range(self.page_count + 40))
        yield from (a.path for a in self.articles)

    # -- server ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        assert self._server is not None, "the newsroom is not serving"
        return self._server.url(path)

    @property
    def server(self) -> TestServer:
        assert self._server is not None, "the newsroom is not serving"
        return self._server

    def __enter__(self) -> Self:
        self._server = TestServer()
        # a client hanging up between keep-alive requests is not worth a traceback on stderr
        self._server._httpd.handle_error = lambda *_args: None  # type: ignore[method-assign]
        self._server.__enter__()
        for path in self._paths():
            self._route(path)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.__exit__(exc_type, exc, tb)
        self._server = None


def _not_modified(headers: dict[str, str], etag: str, modified: datetime) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if "if-none-match" in headers:
        tags = {t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")}
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if not since:
        return False
    try:
        return modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
