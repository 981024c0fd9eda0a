"""Typed records the extractors produce: frozen dataclasses, no behaviour beyond small helpers.

``ExtractionProfile`` carries what a source declares that changes extraction (time zone, date
order, selectors); it is built from the TOML config by ``pressroom.config`` so that extractors
never import the config layer. :class:`ListTemplate` is the learned shape of a source's
article list (see :mod:`pressroom.extractors.list_template`), stored by the warehouse.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

__all__ = [
    "DISCLOSURE_FIELDS",
    "TEMPLATE_VERSION",
    "ArticleRecord",
    "Attachment",
    "DateOrder",
    "DateOrderDecision",
    "DateOrderEvidence",
    "ExtractionProfile",
    "FeedEntry",
    "Image",
    "ListTemplate",
    "ListingLink",
    "ListingPage",
    "ListingRequest",
    "PagerInfo",
    "SitemapPage",
]

DateOrder = Literal["DMY", "MDY", "YMD"]

#: The header-table fields of a Chinese government disclosure page, in ArticleRecord order.
DISCLOSURE_FIELDS = ("index_no", "doc_no", "issuer", "written_at", "topic", "validity")
OrderRung = Literal["config", "page", "source", "html-lang", "language", "timezone", "default"]


@dataclass(frozen=True)
class DateOrderEvidence:
    """Unambiguous numeric dates seen so far: ``15/03/2023`` is day-first, ``03/15/2023``
    month-first. ``example`` is the first one seen, for messages."""

    day_first: int = 0
    month_first: int = 0
    example: str | None = None

    def merged(self, other: DateOrderEvidence) -> DateOrderEvidence:
        return DateOrderEvidence(
            self.day_first + other.day_first,
            self.month_first + other.month_first,
            self.example or other.example,
        )

    @property
    def order(self) -> DateOrder | None:
        """The order the majority shows; None with no evidence or a tie."""
        if self.day_first == self.month_first:
            return None
        return "DMY" if self.day_first > self.month_first else "MDY"


@dataclass(frozen=True)
class DateOrderDecision:
    """The order used for ambiguous numeric dates (``03/04/2023``) and the rung that decided it
    (see :mod:`pressroom.extractors.date_order`); ``detail`` names the evidence (``en-GB``)."""

    order: DateOrder
    rung: OrderRung
    detail: str = ""

    @property
    def certain(self) -> bool:
        """True when the config or an unambiguous date decided, not language or time zone."""
        return self.rung in ("config", "page", "source")

    def describe(self) -> str:
        """``DMY (timezone: Europe/London)``, ``MDY (config)``: for check-source and runs."""
        return f"{self.order} ({self.rung}{': ' + self.detail if self.detail else ''})"


@dataclass(frozen=True)
class ExtractionProfile:
    """Per-source settings for extraction. Every field has a generic default."""

    timezone: str = "UTC"
    language: str | None = None
    date_order: DateOrder = "MDY"
    """Fallback order for ambiguous numeric dates (the source's own when ``date_order_set``)."""
    date_order_set: bool = False
    """True when the source configured ``date_order``: then no other evidence is looked at."""
    date_evidence: DateOrderEvidence = field(default_factory=DateOrderEvidence)
    """Unambiguous dates seen on earlier pages of the source (the discovery walk's)."""
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
    date_order: DateOrderDecision | None = None
    """How ambiguous numeric dates on the page were read (not stored, not in fixtures)."""
    index_no: str | None = None
    """Disclosure pages (政府信息公开, :mod:`pressroom.extractors.disclosure`): 索引号."""
    doc_no: str | None = None
    """发文字号 / 文号."""
    issuer: str | None = None
    """发文机关 / 发布机构."""
    written_at: date | None = None
    """成文日期: when the document was written, never the publication date."""
    topic: str | None = None
    """主题分类."""
    validity: str | None = None
    """有效性 (有效, 失效, ...)."""

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
    date_uncertain: bool = False
    """The date is numeric and ambiguous (``07/01/2023``), and only language or time zone
    decided its order: the article page's own date must settle it."""


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
    """What a listing page offers: article links in page order and the next page(s), and how
    its numeric dates were read (``date_order``, and the unambiguous dates it showed).

    ``next_requests`` are next pages asked for with a POST (tried after ``next_urls``).
    ``template`` is the row template the links were taken from (None with a link selector or
    no links); ``template_matched`` says whether the template given to the parser matched
    (None when none was given); ``anchor_urls`` are the page's headline-length same-site
    link URLs, for a walk to tell which link blocks repeat on every page. ``ends_short`` says
    why the listing ends on this page before its own count says it should (a data endpoint
    that serves no records past some point: a cap the CMS does not print).
    """

    url: str
    links: tuple[ListingLink, ...] = ()
    next_urls: tuple[str, ...] = ()
    next_requests: tuple[ListingRequest, ...] = ()
    pager: PagerInfo | None = None
    template: ListTemplate | None = None
    template_matched: bool | None = None
    anchor_urls: frozenset[str] = frozenset()
    date_order: DateOrderDecision | None = None
    date_evidence: DateOrderEvidence = field(default_factory=DateOrderEvidence)
    ends_short: str | None = None


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


TEMPLATE_VERSION = 1


@dataclass(frozen=True)
class ListTemplate:
    """Where a source's article list sits on its listing pages; see the module docstring."""

    signature: tuple[str, ...]
    row_depth: int = 0
    date_path: tuple[str, ...] | None = None
    chrome: tuple[tuple[str, ...], ...] = ()

    @property
    def tail(self) -> tuple[str, ...]:
        """The last steps of the signature: list container, row, path down to the anchor."""
        return self.signature[-(self.row_depth + 2) :]

    def to_json(self) -> str:
        """The template as a JSON object (sorted keys)."""
        data: dict[str, Any] = {
            "version": TEMPLATE_VERSION,
            "signature": list(self.signature),
            "row_depth": self.row_depth,
            "date_path": None if self.date_path is None else list(self.date_path),
            "chrome": [list(sig) for sig in self.chrome],
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ListTemplate:
        """The template written by :meth:`to_json`; ValueError when it is not one."""
        try:
            data = json.loads(text)
            signature = tuple(str(step) for step in data["signature"])
            date_path = data.get("date_path")
            return cls(
                signature=signature,
                row_depth=int(data.get("row_depth", 0)),
                date_path=None if date_path is None else tuple(str(s) for s in date_path),
                chrome=tuple(tuple(str(s) for s in sig) for sig in data.get("chrome", [])),
            )
        except (TypeError, KeyError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a list template: {text[:80]!r}") from exc
