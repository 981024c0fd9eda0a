"""RSS 2.0 / RSS 1.0 / Atom feeds and XML sitemaps, parsed safely.

XML is parsed by lxml with entity resolution, DTD loading and network access switched off, so a
hostile feed cannot expand entities ("billion laughs") or make the parser fetch anything.
Gzipped bodies (``sitemap.xml.gz``) are decompressed with a size cap. Element names are matched
by local name, so namespaced and un-namespaced documents read the same.

A document that breaks partway (cut short, an undefined entity, a mismatched tag) is read by
lxml's recovering parser, and :func:`read_feed` / :func:`read_sitemap` say so: where it broke,
how many items were complete before the break and how many are kept. An item the document was
cut inside (the last one, with fields possibly cut) is left out; nothing is dropped silently.

``looks_like_article_url`` / ``article_url_rejection`` tell a press release from the contact,
search or section pages that feeds and sitemaps also list; discovery skips the latter with the
reason given.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

from pressroom.core.articles import FeedEntry, ListingLink, SitemapPage
from pressroom.extractors.urls import DIRECTORY_ALIASES, normalize_url

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "FeedRead",
    "SitemapRead",
    "article_url_rejection",
    "looks_like_article_url",
    "parse_feed",
    "parse_sitemap",
    "read_feed",
    "read_sitemap",
]

#: A gzipped body that inflates past this is cut off (sitemaps are at most 50 MB by protocol).
MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024

_W3C_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_NON_ARTICLE_WORDS = re.compile(
    r"^(?:contact(?:-us)?|contacts|about(?:-us)?|privacy(?:-policy)?|terms(?:-of-use)?|imprint"
    r"|impressum|sitemap|search|login|logout|register|accessibility|cookies?(?:-policy)?"
    r"|feedback|faq|faqs|help|disclaimer|subscribe|unsubscribe|rss|feed|atom|archive|archives"
    r"|联系我们|关于我们|网站地图|lxwm|gywm|wzdt)$",
    re.IGNORECASE,
)
_LISTING_SEGMENTS = frozenset({"tag", "tags", "category", "categories", "author", "topics", "page"})
_NON_HTML_EXT = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|ofd|wps|jpe?g|png|gif|svg|webp|mp[34]|avi|mov"
    r"|xml|rss|json|css|js|txt|csv)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FeedRead:
    """A feed's entries, and why the document broke partway (None when it did not)."""

    entries: tuple[FeedEntry, ...]
    error: str | None = None


@dataclass(frozen=True)
class SitemapRead:
    """A sitemap page, and why the document broke partway (None when it did not)."""

    page: SitemapPage
    error: str | None = None


@dataclass
class _Document:
    root: etree._Element | None
    error: str | None = None  # the first error: where and what
    complete: int = 0  # items whose end tag came before the first error


def _options() -> dict[str, bool]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def _read_xml(body: bytes | str, items: frozenset[str]) -> _Document:
    """The recovered tree; on an error also the items complete before it (a strict pass)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    note = ""
    if body[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, MAX_DECOMPRESSED_BYTES)
        except zlib.error as exc:
            return _Document(None, f"the gzip body does not decompress ({exc})")
        if inflater.unconsumed_tail:
            note = f"gzip body cut at {MAX_DECOMPRESSED_BYTES} bytes; "
    body = body.lstrip()
    parser = etree.XMLParser(recover=True, **_options())
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return _Document(None, f"{note}not XML ({exc})" if body else f"{note}empty document")
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if not errors and not note:
        return _Document(root)
    first = errors[0] if errors else None
    where = "the end"
    if first is not None:
        message = " ".join(first.message.split())[:120]
        where = f"line {first.line}, column {first.column} ({message})"
    return _Document(root, f"{note}XML broken at {where}", _complete_items(body, items))


def _complete_items(body: bytes, items: frozenset[str]) -> int:
    """How many ``items`` elements a strict parser closes before its first error.

    Only the end events a strict pass reads before it fails count: lxml 6 closes the elements
    still open when a failing ``close()`` ends a cut document, and those were never complete.
    """
    pull = etree.XMLPullParser(events=("end",), **_options())
    try:
        pull.feed(body)
    except etree.XMLSyntaxError:
        return _count(pull.read_events(), items)
    before_close = _count(pull.read_events(), items)
    try:
        pull.close()
    except etree.XMLSyntaxError:
        return before_close
    return before_close + _count(pull.read_events(), items)


def _count(events: Iterable[tuple[str, etree._Element]], items: frozenset[str]) -> int:
    return sum(1 for _, el in events if _local(el) in items)


def _kept(elements: list[etree._Element], doc: _Document) -> list[etree._Element]:
    """``elements`` without the last one when the document broke inside it (cut short)."""
    if doc.error is not None and doc.complete == len(elements) - 1:
        return elements[:-1]
    return elements


def _break_report(doc: _Document, what: str, unit: str, read: int, cut: bool) -> str | None:
    if doc.error is None:
        return None
    left_out = "; the one it broke inside is left out" if cut else ""
    counts = f"{doc.complete} {unit} read before the break, {read} in all"
    return f"{what} {doc.error}: {counts}{left_out}"


def _local(el: etree._Element) -> str:
    """The element's name without namespace or prefix (a recovered ``dc:date`` reads ``date``)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _text(el: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(el, name):
            value = "".join(child.itertext()).strip()
            if value:
                return value
    return None


def _parse_datetime(value: str | None) -> datetime | None:
    """RFC 822 (RSS), RFC 3339 / W3C datetime (Atom, sitemaps); naive values are taken as UTC."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    if _W3C_DATE.match(value):
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            parsed = datetime(parts[0], parts[1], parts[2])
        except ValueError:
            return None
    else:
        iso = value.replace("Z", "+00:00").replace("z", "+00:00")
        try:
            parsed = datetime.fromisoformat(iso)
        except ValueError:
            try:
                parsed = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for link in _children(entry, "link"):
        href = (link.get("href") or "").strip()
        if not href:
            continue
        rel = (link.get("rel") or "alternate").lower()
        if rel == "alternate" and (link.get("type") or "text/html").startswith("text/html"):
            return href
        if rel == "alternate" and fallback is None:
            fallback = href
    return fallback


def parse_feed(body: bytes, url: str) -> list[FeedEntry]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed (see :func:`read_feed`)."""
    return list(read_feed(body, url).entries)


_FEED_ITEMS = frozenset({"item", "entry"})


def read_feed(body: bytes, url: str) -> FeedRead:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order, with normalized URLs.

    An unreadable document gives no entries. Items without a usable http(s) link are left out.
    ``error`` tells where a document that is XML broke and how many items were read.
    """
    doc = _read_xml(body, _FEED_ITEMS)
    if doc.root is None:
        return FeedRead((), f"feed {doc.error}" if doc.error and body.strip() else None)
    elements = [el for el in doc.root.iter() if _local(el) in _FEED_ITEMS]
    kept = _kept(elements, doc)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for el in kept:
        kind = _local(el)
        if kind == "item":
            link = _text(el, "link")
            if not link:
                for guid in _children(el, "guid"):
                    permalink = (guid.get("isPermaLink") or "true").lower() != "false"
                    if permalink and (guid.text or "").strip():
                        link = (guid.text or "").strip()
            if not link:
                link = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            published = _parse_datetime(_text(el, "pubdate", "date", "published", "issued"))
            updated = _parse_datetime(_text(el, "updated", "modified"))
        else:
            link = _atom_link(el)
            published = _parse_datetime(_text(el, "published", "issued", "created"))
            updated = _parse_datetime(_text(el, "updated", "modified"))
        if not link:
            continue
        entry_url = normalize_url(link, base=url)
        if not entry_url.startswith(("http://", "https://")) or entry_url in seen:
            continue
        seen.add(entry_url)
        title = _text(el, "title")
        entries.append(
            FeedEntry(url=entry_url, title=title, published_at=published, updated_at=updated)
        )
    error = _break_report(doc, "feed", "items", len(entries), len(kept) < len(elements))
    return FeedRead(tuple(entries), error)


def parse_sitemap(body: bytes, url: str) -> SitemapPage:
    """A ``urlset`` or a ``sitemapindex`` (see :func:`read_sitemap`)."""
    return read_sitemap(body, url).page


_SITEMAP_ITEMS = frozenset({"url", "sitemap"})


def read_sitemap(body: bytes, url: str) -> SitemapRead:
    """A ``urlset`` (entries with ``lastmod``) or a ``sitemapindex`` (child sitemaps).

    ``ListingLink.published_at`` is the Google News ``publication_date`` when given, else
    ``lastmod``. ``image:loc`` and other extension ``loc`` elements are ignored. ``error`` tells
    where a document that is XML broke and how many ``<url>``/``<sitemap>`` entries were read.
    """
    doc = _read_xml(body, _SITEMAP_ITEMS)
    if doc.root is None:
        error = f"sitemap {doc.error}" if doc.error and body.strip() else None
        return SitemapRead(SitemapPage(url=normalize_url(url)), error)
    kind = _local(doc.root)
    elements = [el for el in doc.root if _local(el) in _SITEMAP_ITEMS]
    kept = _kept(elements, doc)
    entries: list[ListingLink] = []
    children: list[str] = []
    seen: set[str] = set()
    for el in kept:
        name = _local(el)
        loc = _text(el, "loc")
        if not loc:
            continue
        loc_url = normalize_url(loc, base=url)
        if not loc_url.startswith(("http://", "https://")) or loc_url in seen:
            continue
        seen.add(loc_url)
        if kind == "sitemapindex" or name == "sitemap":
            children.append(loc_url)
            continue
        published = None
        title = None
        for news in _children(el, "news"):
            published = _parse_datetime(_text(news, "publication_date"))
            title = _text(news, "title")
        published = published or _parse_datetime(_text(el, "lastmod"))
        entries.append(ListingLink(url=loc_url, title=title, published_at=published))
    page = SitemapPage(
        url=normalize_url(url), entries=tuple(entries), child_sitemaps=tuple(children)
    )
    cut = len(kept) < len(elements)
    read = len(entries) + len(children)
    return SitemapRead(page, _break_report(doc, "sitemap", "entries", read, cut))


def article_url_rejection(url: str) -> str | None:
    """Why ``url`` is not an article page (contact, index, search, document, ...), or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "unparsable URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http(s) URL"
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return "site home page" if not parts.query else None
    last = segments[-1]
    if last.lower() in DIRECTORY_ALIASES:
        segments = segments[:-1]
        if not segments:
            return "site home page"
        last = segments[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    if _NON_HTML_EXT.search(last):
        return f"not a web page ({last.rsplit('.', 1)[-1].lower()} file)"
    if _NON_ARTICLE_WORDS.match(stem):
        return f"site page, not an article ({stem})"
    if any(s.lower() in _LISTING_SEGMENTS for s in segments[:-1]) or (
        len(segments) >= 2 and segments[-2].lower() == "page" and last.isdigit()
    ):
        return "tag, category, author or page listing"
    if re.search(r"=\d+(?:&|$)", parts.query):
        return None  # news.aspx?id=1234: an article addressed by id
    if len(segments) == 1 and not any(c.isdigit() for c in last) and last.count("-") < 3:
        return "section index page"
    if parts.path.rstrip("/").lower().endswith(("/index", "/list", "/news")):
        return "section index page"
    return None


def looks_like_article_url(url: str) -> bool:
    """True when ``url`` may be an article (see :func:`article_url_rejection` for the reason)."""
    return article_url_rejection(url) is None
