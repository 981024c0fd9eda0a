"""Typed records the extractors produce: frozen dataclasses, no behaviour beyond small helpers.

``ExtractionProfile`` carries what a source declares that changes extraction (time zone, date
order, selectors); it is built from the TOML config by ``pressroom.config`` so that extractors
never import the config layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from extractors.list_template import ListTemplate

__all__ = [
    "ArticleRecord",
    "Attachment",
    "DateOrder",
    "ExtractionProfile",
    "FeedEntry",
    "Image",
    "ListingLink",
    "ListingPage",
    "ListingRequest",
    "PagerInfo",
    "SitemapPage",
]

DateOrder = Literal["DMY", "MDY", "YMD"]


@dataclass(frozen=True)
class ExtractionProfile:
    """Per-source settings for extraction. Every field has a generic default."""

    timezone: str = "UTC"
    language: str | None = None
    date_order: DateOrder = "MDY"
    title_selector: str | None = None
    date_selector: str | None = None
    body_selector: str | None = None
    author_selector: str | None = None
    origin_selector: str | None = None
    link_selector: str | None = None
    next_selector: str | None = None
    site_module: str | None = None


@dataclass(frozen=True)
class Image:
    """An image inside the article body."""

    src: str
    alt: str | None = None
    caption: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A linked document (pdf, doc, xls, zip, ofd, ...) attached to the article."""

    url: str
    text: str | None = None


@dataclass(frozen=True)
class ArticleRecord:
    """One article as extracted from one page.

    ``rules`` maps each field name to the rule that produced it (for example ``"json-ld"``,
    ``"meta:PubDate"``, ``"selector"``, ``"density"``); ``warnings`` lists what went wrong
    without stopping extraction (no date found, a selector that matched nothing, ...).
    """

    url: str
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    author: str | None = None
    origin: str | None = None
    language: str | None = None
    lede: str | None = None
    paragraphs: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    canonical_url: str | None = None
    rules: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def body_text(self) -> str:
        """Paragraphs joined by a blank line, as stored in ``articles.body_text``."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class ListingLink:
    """An article link found on a listing page, feed or sitemap."""

    url: str
    title: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class ListingRequest:
    """A listing page that is asked for with a form POST (a CMS's data endpoint)."""

    url: str
    form: tuple[tuple[str, str], ...] = ()
    referer: str | None = None


@dataclass(frozen=True)
class PagerInfo:
    """What a listing's pager says about the listing (drawn by script or printed as text).

    ``current`` is 1-based. ``cap`` is a limit the CMS prints ("本频道最多50页");
    ``total_records`` the record count some pagers pass along.
    """

    count: int | None = None
    current: int | None = None
    total_records: int | None = None
    cap: int | None = None


@dataclass(frozen=True)
class ListingPage:
    """What a listing page offers: article links in page order and the next page(s).

    ``next_requests`` are next pages asked for with a POST (tried after ``next_urls``).
    ``template`` is the row template the links were taken from (None with a link selector or
    no links); ``template_matched`` says whether the template given to the parser matched
    (None when none was given); ``anchor_urls`` are the page's headline-length same-site
    link URLs, for a walk to tell which link blocks repeat on every page.
    """

    url: str
    links: tuple[ListingLink, ...] = ()
    next_urls: tuple[str, ...] = ()
    next_requests: tuple[ListingRequest, ...] = ()
    pager: PagerInfo | None = None
    template: ListTemplate | None = None
    template_matched: bool | None = None
    anchor_urls: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS or Atom feed."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class SitemapPage:
    """A parsed sitemap: page URLs with lastmod, or child sitemaps for a sitemap index."""

    url: str
    entries: tuple[ListingLink, ...] = ()
    child_sitemaps: tuple[str, ...] = ()
