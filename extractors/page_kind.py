"""Whether a fetched page is an article at all: the kind of page, and why.

Sitemaps, feeds and listings also lead to pages that are not press releases. Each page the
pipeline fetched as an article candidate gets one :class:`PageKind`:

============ ==============================================================================
article      the default, and always when the page states it is an article (og:type=article,
             a JSON-LD article type, ``ArticleTitle`` / ``PubDate`` / ``article:published_time``
             meta); a page that states its own publication date (JSON-LD, meta, a labelled date
             such as "Posted on", the URL, microdata) can only be a soft 404 besides, and only
             with a body under 200 characters
soft_404     answered 200, but the title or ``<h1>`` says "page not found" / "页面不存在" /
             "404" and the page holds under 1,000 characters of running text
landing      a landing, section, department, tag, search or contact page: four or more
             headings inside the body that are links, with under 350 characters of text per
             heading (teasers, search results); or, with no publication date, five or more
             links and under 300 characters of running text, or 65% of the text in links and
             under 1,500 characters
document     bytes that are a document, not a page: a binary file (PDF, Office, zip, ...) that
             the Content-Type or the URL's extension says is one (see :func:`document_kind`);
             binary bytes under an HTML Content-Type at a page URL are a broken page instead
============ ==============================================================================

Conservative by design: every rule needs positive evidence that the page is not an article,
and a stated article type beats all of them. ``bench/page_kinds.py`` measures the rules on
1,222 real article pages (the public corpora and our fixtures). Pure: the parsed page's scan,
its meta tags and JSON-LD, and the extracted record in; no network, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from bs4 import Tag

from pressroom.core.articles import ArticleRecord
from pressroom.extractors.body import normalize_space
from pressroom.extractors.encoding import binary_reason
from pressroom.extractors.media import ATTACHMENT_EXTENSIONS
from pressroom.extractors.metadata import JsonLd, MetaTags
from pressroom.extractors.scan import PageScan

__all__ = ["ARTICLE", "Kind", "PageKind", "classify_page", "document_kind"]

Kind = Literal["article", "landing", "soft_404", "document"]

SOFT_404_MAX_TEXT = 1000
"""A not-found title on a page with more running text than this (characters) is an article."""
SOFT_404_DATED_MAX_TEXT = 200
"""A dated page with a not-found title is a soft 404 only when its body is this short."""
LANDING_MAX_TEXT = 300
"""An undated page with links and less running text than this is a landing page."""
MIN_LINKS = 5
LINK_DENSE_SHARE = 0.65
"""An undated page with this share of its text in links, and under ``LINK_DENSE_MAX_TEXT``
characters of running text, is a landing page."""
LINK_DENSE_MAX_TEXT = 1500
LINKED_HEADINGS = 4
TEXT_PER_LINKED_HEADING = 350
"""Four or more headings that are links inside the body, with less running text than this per
heading (teasers, search results), make a list page, when no stated date says otherwise."""
STATED_DATE_RULES = ("json-ld", "meta:", "label:", "microdata", "url", "selector", "site:")
"""Rules of a publication date the page states as the page's own (not a teaser's <time>)."""

_NOT_FOUND = re.compile(
    r"(?<!\d)404(?!\d)|\bnot\s+found\b|\b(?:can ?not|can't|could ?not|couldn't)\s+be\s+found\b"
    r"|\bno longer (?:exists|available)\b|\bdoes(?: not|n't) exist\b|\bpage (?:is )?missing\b"
    r"|页面不存在|页面未找到|找不到|未找到|页面已删除|信息不存在|文章不存在|无法找到|无法访问|已被删除",
    re.I,
)
_ARTICLE_OG_TYPES = frozenset({"article", "news", "newsarticle", "blogposting", "press_release"})
_ARTICLE_META = ("articletitle", "pubdate", "article:published_time")
_DOCUMENT_URL = re.compile(r"\.(?:" + "|".join(ATTACHMENT_EXTENSIONS) + r")$", re.I)
_HTML_TYPES = re.compile(r"^\s*(?:text/html|application/xhtml\+xml|text/plain)?\s*(?:;|$)", re.I)


@dataclass(frozen=True)
class PageKind:
    """What a page is (``kind``) and the evidence, in a few words (``reason``)."""

    kind: Kind
    reason: str

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


ARTICLE = PageKind("article", "article")


def document_kind(body: bytes, content_type: str | None, url: str) -> PageKind | None:
    """A :class:`PageKind` ``document`` for a binary file the server or the URL calls a
    document, else None (a page, or binary bytes served as a web page: a broken response)."""
    binary = binary_reason(body, content_type)
    if binary is None:
        return None
    what = binary_reason(body, None) or "binary content"  # the file signature, if any
    mime = (content_type or "").split(";")[0].strip().lower()
    named = _DOCUMENT_URL.search(urlsplit(url).path)
    if mime and not _HTML_TYPES.match(mime):
        return PageKind("document", f"{what}, served as {mime}")
    if named:
        return PageKind("document", f"{what}, at a .{named.group(0)[1:].lower()} URL")
    return None


def classify_page(
    record: ArticleRecord,
    scan: PageScan,
    meta: MetaTags,
    ld: JsonLd | None,
    containers: Sequence[Tag] = (),
) -> PageKind:
    """The kind of an HTML page, from its extraction, the walk over its tree and the elements
    the body was taken from (``containers``: linked headings elsewhere are related links)."""
    stated = _stated_article(meta, ld)
    if stated is not None:
        return PageKind("article", stated)
    text = len(record.body_text)
    found = _not_found_heading(record, scan)
    short = text <= (SOFT_404_MAX_TEXT if record.published_at is None else SOFT_404_DATED_MAX_TEXT)
    if found is not None and short:
        return PageKind("soft_404", f"title or h1 {found!r}, {text} characters of text")
    stated_date = _stated_date(record)
    if stated_date is not None:
        return PageKind("article", stated_date)
    linked = _linked_headings(scan, containers)
    if linked >= LINKED_HEADINGS and text < TEXT_PER_LINKED_HEADING * linked:
        return PageKind("landing", f"{linked} headings are links, {text} characters of text")
    if record.published_at is not None:
        return ARTICLE
    links = sum(1 for a in scan.anchors if not _empty_link(scan, a))
    if links >= MIN_LINKS and text < LANDING_MAX_TEXT:
        return PageKind("landing", f"no date, {links} links, {text} characters of running text")
    share = _link_share(scan)
    if links >= MIN_LINKS and share >= LINK_DENSE_SHARE and text < LINK_DENSE_MAX_TEXT:
        return PageKind(
            "landing", f"no date, {share:.0%} of the text in {links} links, {text} characters"
        )
    return ARTICLE


def _stated_article(meta: MetaTags, ld: JsonLd | None) -> str | None:
    """The metadata by which the page says it is an article, if any."""
    og = meta.get("og:type")
    if og is not None and og[1].strip().lower() in _ARTICLE_OG_TYPES:
        return f"og:type={og[1].strip()}"
    if ld is not None and ld.is_article:
        return "JSON-LD article type"
    found = meta.get(*_ARTICLE_META)
    if found is not None:
        return f"meta {meta.original(found[0])}"
    return None


def _stated_date(record: ArticleRecord) -> str | None:
    """The rule of a publication date the page states as its own (meta, label, URL, ...)."""
    rule = record.rules.get("published_at") if record.published_at is not None else None
    if rule is not None and rule.split("+", 1)[0].startswith(STATED_DATE_RULES):
        return f"publication date ({rule})"
    return None


def _not_found_heading(record: ArticleRecord, scan: PageScan) -> str | None:
    """The title or ``<h1>`` text that says the page was not found."""
    texts = [scan.title or "", record.title or ""]
    texts += [h.get_text(" ") for h in scan.headings if h.name == "h1"]
    for raw in texts:
        text = normalize_space(raw)
        if text and len(text) <= 120 and _NOT_FOUND.search(text):
            return text
    return None


def _linked_headings(scan: PageScan, containers: Sequence[Tag]) -> int:
    """Headings (h2-h4) inside the body containers whose text is nearly all link text."""
    inside = {id(c) for c in containers}
    count = 0
    for heading in [*scan.headings, *scan.minor_headings]:
        if heading.name in ("h1", "h5", "h6") or not _within(heading, inside):
            continue
        key = id(heading)
        total = scan.text_len.get(key, 0)
        if total >= 8 and scan.link_len.get(key, 0) >= 0.8 * total:
            count += 1
    return count


def _within(tag: Tag, ids: set[int]) -> bool:
    node: Tag | None = tag
    while node is not None:
        if id(node) in ids:
            return True
        node = node.parent
    return False


def _empty_link(scan: PageScan, anchor: object) -> bool:
    return scan.text_len.get(id(anchor), 0) == 0


def _link_share(scan: PageScan) -> float:
    """Share of the page's visible text that is link text."""
    if not scan.page_text:
        return 0.0
    links = sum(scan.link_len.get(id(a), 0) for a in scan.anchors)
    return min(1.0, links / scan.page_text)
