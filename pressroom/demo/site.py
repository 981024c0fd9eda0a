"""One demo site's state and routing: articles in memory, a path in, a :class:`Response` out.

:class:`DemoSite` knows nothing about sockets (``server.py`` does the HTTP); it holds the
family's articles, applies corrections and additions, and gives every response a
``Last-Modified`` derived from the data:

- an article page: the newest ``last_modified`` of the articles it shows (itself, its
  sidebar and its Previous/Next neighbours);
- listings, the feed, the sitemap and the home page: the family's clock, which starts at the
  newest publication time and moves forward one hour (or to the new publication time) on
  every change, so a change is never older than what a client saw before.
"""

from __future__ import annotations

import re
import struct
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from pressroom.demo import cityhall, hightech
from pressroom.demo.content import DemoArticle, Family, load_articles, new_article

__all__ = ["DemoSite", "Response"]

HTML = "text/html; charset=utf-8"
_EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
_CSS = b"body{font-family:Arial,sans-serif}.w1200{width:1200px;margin:0 auto}\n"


@dataclass(frozen=True)
class Response:
    """What the site answers; the server adds ETag, conditional handling and headers."""

    status: int
    body: bytes = b""
    content_type: str = HTML
    last_modified: datetime | None = None
    location: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def _png(width: int = 8, height: int = 6) -> bytes:
    """A small valid grey PNG, built once (the demo's stand-in for photos)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x99" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str) -> bytes:
    """A one-page PDF whose only text is ``title`` (ASCII-folded)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    return out + f"startxref\n{xref}\n%%EOF\n".encode()


PNG = _png()
_HT_LISTING = re.compile(r"^/en/news/index(?:_(\d+))?\.html$")
_HT_SECTION = re.compile(r"^/en/(\w+)/index\.html$")
_CH_SECTION = re.compile(r"^/\d+/([A-Za-z-]+)$")


class DemoSite:
    """The articles of one family and the routing of its URLs. Thread-safe."""

    def __init__(self, family: Family) -> None:
        self.family: Family = family
        self._lock = threading.Lock()
        self._articles = load_articles(family)  # oldest first
        self._clock = max(a.published_utc for a in self._articles)

    # ------------------------------------------------------------------ data

    def newest_first(self) -> list[DemoArticle]:
        with self._lock:
            return sorted(self._articles, key=lambda a: (a.published, a.doc_id), reverse=True)

    def find(self, key: int | str) -> DemoArticle:
        """An article by index in listing order (newest first) or by URL path."""
        articles = self.newest_first()
        if isinstance(key, int):
            return articles[key]
        for article in articles:
            if article.path == key:
                return article
        raise KeyError(f"no {self.family} article at {key!r}")

    def _tick(self, at_least: datetime | None = None) -> datetime:
        self._clock = max(self._clock + timedelta(hours=1), at_least or self._clock)
        return self._clock

    def update(
        self, key: int | str, *, paragraphs: Sequence[str] | None, title: str | None
    ) -> DemoArticle:
        """Correct an article in place (same URL); its page, ETag and Last-Modified change."""
        target = self.find(key)
        with self._lock:
            changes: dict[str, object] = {"modified": self._tick()}
            if paragraphs is not None:
                changes["blocks"] = tuple(paragraphs)
            if title is not None:
                changes["title"] = title
            fixed = replace(target, **changes)  # type: ignore[arg-type]
            self._articles = [fixed if a.path == target.path else a for a in self._articles]
            return fixed

    def add(self, **fields: object) -> DemoArticle:
        """Publish a new article (by default the newest, so it tops page 1 of the listing)."""
        with self._lock:
            article = new_article(self.family, self._articles, **fields)  # type: ignore[arg-type]
            article = replace(article, modified=self._tick(article.published_utc))
            self._articles = [*self._articles, article]
            return article

    def _context(self, article: DemoArticle, count: int) -> tuple[list[DemoArticle], ...]:
        """(oldest-first list, related articles, [previous], [following]) for an article.

        Related articles are the ``count`` published just before it (or the oldest ones for
        the first few), so adding a new article does not change every article page.
        """
        ordered = list(reversed(self.newest_first()))
        i = next(n for n, a in enumerate(ordered) if a.path == article.path)
        window = ordered[i - count : i] if i >= count else ordered[: count + 1]
        related = [a for a in reversed(window) if a.path != article.path][:count]
        previous = ordered[i - 1 : i]
        following = ordered[i + 1 : i + 2]
        return ordered, related, previous, following

    # ------------------------------------------------------------------ routing

    def respond(self, target: str, base_url: str) -> Response:
        """The response for a request target (path and query) on this site."""
        parts = urlsplit(target)
        path = parts.path or "/"
        if path.lower().startswith("/admin"):
            return self._page(403, "<h1>403 Forbidden</h1>", _EPOCH)
        if path == "/robots.txt":
            mod = hightech if self.family == "hightech" else cityhall
            body = mod.robots_txt(base_url).encode()
            return Response(200, body, "text/plain; charset=utf-8", _EPOCH)
        if self.family == "hightech":
            return self._hightech(path, base_url)
        query = {k.lower(): v for k, v in parse_qsl(parts.query)}
        return self._cityhall(path, query, base_url)

    def _page(self, status: int, html: str | None, modified: datetime | None) -> Response:
        if html is None:
            mod = hightech if self.family == "hightech" else cityhall
            return Response(404, mod.render_not_found().encode())
        return Response(status, html.encode("utf-8"), HTML, modified)

    def _asset(self, path: str) -> Response | None:
        for article in self.newest_first():
            if article.image and article.image.path == path:
                return Response(200, PNG, "image/png", article.published_utc)
            if article.attachment and article.attachment.path == path:
                body = _pdf(article.attachment.text)
                return Response(200, body, "application/pdf", article.published_utc)
        return None

    def _hightech(self, path: str, base_url: str) -> Response:
        if path in ("/", "/en", "/en/", "/index.html"):
            return Response(301, b"", HTML, location="/en/index.html")
        if path == "/en/index.html":
            return self._page(200, hightech.render_home(self.newest_first()), self._clock)
        if path == "/sitemap.xml":
            body = hightech.render_sitemap(base_url, self.newest_first()).encode()
            return Response(200, body, "application/xml; charset=utf-8", self._clock)
        if path == "/en/css/style.css":
            return Response(200, _CSS, "text/css; charset=utf-8", _EPOCH)
        if match := _HT_LISTING.match(path):
            page = int(match.group(1) or 0)
            if match.group(1) == "0":
                return self._page(404, None, None)
            html = hightech.render_listing(self.newest_first(), page)
            return self._page(200, html, self._clock)
        if path.endswith((".png", ".pdf")):
            return self._asset(path) or self._page(404, None, None)
        if match := _HT_SECTION.match(path):
            return self._page(200, hightech.render_section(match.group(1)), _EPOCH)
        try:
            article = self.find(path)
        except KeyError:
            return self._page(404, None, None)
        _, related, _, _ = self._context(article, 6)
        shown = [article, *related]
        html = hightech.render_article(article, related)
        return self._page(200, html, max(a.last_modified for a in shown))

    def _cityhall(self, path: str, query: dict[str, str], base_url: str) -> Response:
        if path in ("/", "/index.aspx"):
            return self._page(200, cityhall.render_home(self.newest_first()), self._clock)
        if path.lower() == "/rssfeed.aspx" and query.get("modid") == "1":
            body = cityhall.render_feed(base_url, self.newest_first()).encode()
            return Response(200, body, "application/rss+xml; charset=utf-8", self._clock)
        if path.lower() == "/civicalerts.aspx":
            if "aid" in query:
                return self._cityhall_article(query["aid"], base_url)
            page = query.get("page", "1")
            if not page.isdigit() or int(page) < 1:
                return self._page(404, None, None)
            html = cityhall.render_listing(self.newest_first(), int(page) - 1)
            return self._page(200, html, self._clock)
        if match := _CH_SECTION.match(path):
            return self._page(200, cityhall.render_section(match.group(1)), _EPOCH)
        return self._page(404, None, None)

    def _cityhall_article(self, aid: str, base_url: str) -> Response:
        try:
            article = self.find(cityhall.LISTING_PATH.split("?")[0] + f"?AID={aid}")
        except KeyError:
            return self._page(404, None, None)
        _, related, previous, following = self._context(article, 5)
        html = cityhall.render_article(
            article,
            base_url=base_url,
            previous=previous[0] if previous else None,
            following=following[0] if following else None,
            other_news=related,
        )
        shown = [article, *related, *previous, *following]
        return self._page(200, html, max(a.last_modified for a in shown))
