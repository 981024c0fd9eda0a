"""``extract_article``: bytes of one article page in, one :class:`ArticleRecord` out.

One BeautifulSoup parse (lxml builder) after scripts, styles and comments are cut out with a
regex (JSON-LD is read from the raw text first), one walk over the tree
(:mod:`pressroom.extractors.scan`),
then each field from the most reliable source that has it:

========== ===========================================================================
title      JSON-LD > og:title > ArticleTitle > twitter:title > heading > ``<title>``
published  JSON-LD > article/OG/DC meta (PubDate too) > microdata ``datePublished`` >
           labelled text ("发布时间：", "Posted on:") > ``<time>`` outside chrome > URL >
           bare date lines near the article (:mod:`pressroom.extractors.datelines`) > a
           publication-date
           key in a script's data object (``"publishDate": ...``) > a date opening <title>;
           when metadata dates disagree, the visible article date picks among them
           (:mod:`pressroom.extractors.visible`, rule ``<visible rule>+meta``); on a disclosure page
           the header's 发布日期 decides the day (:mod:`pressroom.extractors.govpage`)
updated    JSON-LD > ``article:modified_time``-style meta > "Last updated:" lines
author     JSON-LD > meta author > labelled text ("责任编辑：", "Editor:") > byline element
origin     meta ContentSource > labelled text ("来源：", "Source:") > JSON-LD publisher
language   ``<html lang>`` > the profile's language > meta > JSON-LD
lede       a dash subtitle under the headline ("——记某某") > first paragraph > meta description
body       declared selector > Hanweb ContentStart/ContentEnd markers > text density >
           fallbacks (:mod:`pressroom.extractors.cascade`)
disclosure index_no, doc_no, issuer, written_at, topic, validity from a 政府信息公开 header
========== ===========================================================================

Rule names in ``record.rules`` say which source won (``json-ld``, ``meta:PubDate``,
``label:发布时间``, ``heading:h1``, ``density``, ``selector``, ``site:trs_govcn``...). With no
date anywhere, ``published_at`` stays None and a warning says so; nothing is guessed.

Declared selectors (profile or site module) override per field; see
:mod:`pressroom.extractors.selectors`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from pressroom.core.articles import ArticleRecord, DateOrderDecision, ExtractionProfile
from pressroom.core.errors import ExtractionError
from pressroom.extractors.body import find_container, normalize_space
from pressroom.extractors.cascade import choose_body
from pressroom.extractors.date_order import decide_order, numeric_evidence
from pressroom.extractors.datelines import Dateline, find_dateline, other_items_date
from pressroom.extractors.dates import date_from_url, date_span, in_page_offset, parse_date
from pressroom.extractors.encoding import binary_reason, decode_html
from pressroom.extractors.govpage import (
    Disclosure,
    content_markers,
    drop_signature_dates,
    read_disclosure,
)
from pressroom.extractors.headline import choose_title, find_subtitle
from pressroom.extractors.labels import Labelled, byline_name, find_labelled
from pressroom.extractors.media import absolute_url, find_attachments, find_images
from pressroom.extractors.metadata import (
    AUTHOR_META,
    PUBLISHED_META,
    UPDATED_META,
    WEAK_PUBLISHED_META,
    JsonLd,
    MetaTags,
    read_json_ld,
    script_published,
)
from pressroom.extractors.page_kind import PageKind, classify_page, document_kind
from pressroom.extractors.scan import PageScan, scan_page
from pressroom.extractors.selectors import Declared, declared_selectors, first_value, select_all
from pressroom.extractors.visible import (
    MACHINE_RULES,
    corroborated,
    first_visible_time,
    machine_dates,
)

__all__ = ["extract_article", "extract_page"]

_STRIP = re.compile(
    r"<(script|style|noscript|template|svg|textarea|select)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
    re.I | re.S,
)
# Whitespace right after a block-level tag is never rendered: dropping it before the parse spares
# BeautifulSoup a third of its string nodes.
_BLOCK_WHITESPACE = re.compile(
    r"(</?(?:div|p|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|section|article|header"
    r"|footer|nav|aside|main|h[1-6]|head|body|html|meta|link|title|br|hr|figure|form|iframe"
    r"|picture|source|img|input|button|label)\b[^>]*>)\s+(?=<)",
    re.I,
)
_HAS_TAG = re.compile(r"<[a-zA-Z!?/]")
# A <nav> block is menus and links (a fifth of the tags of a news page): it never holds the
# headline, the date, the byline or the body, so it leaves before the parse, unless it holds
# what could be the article (a page that wraps its content in <nav>) or another <nav>.
_NAV = re.compile(r"<nav\b[^>]*>.*?</nav\s*>", re.I | re.S)
_NAV_KEEPS = re.compile(r"<(?:nav|article|main|h1|p)[\s>]", re.I)
_DATE_TEXT_MAX = 120
_URL_LIKE = re.compile(r"^https?://|^/|^www\.", re.I)


def extract_article(
    body: bytes,
    url: str,
    *,
    profile: ExtractionProfile = ExtractionProfile(),  # noqa: B008 - frozen, shared safely
    content_type: str | None = None,
) -> ArticleRecord:
    """Extract one article; raises :class:`ExtractionError` only for bytes that are not HTML."""
    return _extract(body, url, profile, content_type)[0]


def extract_page(
    body: bytes,
    url: str,
    *,
    profile: ExtractionProfile = ExtractionProfile(),  # noqa: B008 - frozen, shared safely
    content_type: str | None = None,
) -> tuple[ArticleRecord | None, PageKind]:
    """Extract one page and say what kind of page it is (:mod:`pressroom.extractors.page_kind`).

    A document (a PDF the Content-Type or URL names as one) gives ``(None, kind)``; other bytes
    that are not HTML raise :class:`ExtractionError`, as :func:`extract_article` does.
    """
    document = document_kind(body, content_type, url)
    if document is not None:
        return None, document
    record, builder, ld = _extract(body, url, profile, content_type)
    return record, classify_page(record, builder.scan, builder.meta, ld, builder.containers)


def _drop_nav(match: re.Match[str]) -> str:
    block = match.group(0)
    return block if _NAV_KEEPS.search(block, 4) else " "


def _extract(
    body: bytes, url: str, profile: ExtractionProfile, content_type: str | None
) -> tuple[ArticleRecord, _Builder, JsonLd | None]:
    binary = binary_reason(body, content_type)
    if binary:  # stray NUL or control bytes alone are not binary: decode_html drops them
        raise ExtractionError(f"not an HTML page (binary content: {binary})", url=url)
    html = decode_html(body, content_type)
    if not _HAS_TAG.search(html[:65536]):
        raise ExtractionError("not an HTML page (no markup)", url=url)
    ld = read_json_ld(html)
    markup = _BLOCK_WHITESPACE.sub(r"\1", _NAV.sub(_drop_nav, _STRIP.sub(" ", html)))
    with warnings.catch_warnings():  # XHTML served as text/html is still parsed as HTML
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        # multi_valued_attributes=None keeps class="a b" one string: splitting every class
        # attribute into lists costs a sixth of the parse, and attr_key reads the string.
        soup = BeautifulSoup(markup, "lxml", multi_valued_attributes=None)
    scan = scan_page(soup)
    meta = MetaTags(scan.metas)
    lang = None
    if soup.html is not None:  # a visible 03/04/2023 on an en-GB or German page is 3 April
        lang = soup.html.get("lang") or soup.html.get("xml:lang")
    decision = page_order(markup, lang if isinstance(lang, str) else None, profile)
    # meta contents are the CMS's, not the page language's: only certain evidence changes them
    meta_order = decision.order if decision.certain else profile.date_order
    if decision.order != profile.date_order:
        profile = replace(profile, date_order=decision.order)
    builder = _Builder(url, profile, soup, scan, meta)
    builder.meta_order = meta_order
    builder.html = html
    declared, selector_warnings = declared_selectors(profile)
    builder.warnings.extend(selector_warnings)
    builder.selected = select_all(soup, declared) if declared else {}
    labelled = find_labelled(scan, timezone=profile.timezone, date_order=profile.date_order)

    disclosure = read_disclosure(
        html, soup, scan, timezone=profile.timezone, date_order=profile.date_order
    )
    containers, body_rule = content_markers(scan), "hanweb:ContentStart"
    if not containers:
        containers, body_rule = find_container(scan), "density"
    if "body" in declared:
        chosen = _outermost(builder.selected["body"])
        if chosen:
            containers, body_rule = chosen, declared["body"].rule
        else:
            builder.miss("body", declared["body"])
    builder.containers = containers
    title, title_rule = choose_title(scan, meta, ld, containers, url)
    builder.set("title", title, title_rule)
    builder.override_text("title", declared)

    builder.dates(ld, labelled, declared)
    if disclosure is not None:
        builder.disclosure(disclosure)
    if "published_at" in builder.fields:  # a UTC value in the page's own offset
        builder.fields["published_at"] = in_page_offset(builder.fields["published_at"], html)
    images, captions = find_images(scan, containers, builder.base_url)
    skip = captions | {id(b) for b in labelled.blocks}
    subtitle = find_subtitle(scan, builder.fields.get("title"))
    if subtitle is not None:
        skip.add(id(subtitle[1]))
        builder.set("lede", subtitle[0], "heading:subtitle")
    if disclosure is not None:
        skip.update(id(b) for b in disclosure.blocks)
    chosen = choose_body(  # a bare date line that became published_at is a field, not body
        scan, containers, body_rule, ld=ld, html=html, skip=skip,
        title=builder.fields.get("title"), keep=lambda p: p != builder.date_line,
        lede=(meta.get("description", "og:description") or (None, None))[1],
        declared=body_rule != "density",
    )  # fmt: skip
    paragraphs = list(chosen.paragraphs)
    if disclosure is not None:
        paragraphs = drop_signature_dates(paragraphs, disclosure.days)
    if paragraphs:
        builder.set("paragraphs", tuple(paragraphs), chosen.rule)
    else:
        builder.warnings.append(chosen.warning or "no article body found")
    if images:
        builder.set("images", tuple(images), body_rule)
    region = _article_region(containers)
    attachments = find_attachments(scan, region, builder.base_url)
    if attachments:
        builder.set("attachments", tuple(attachments), "links")

    builder.people(ld, labelled, declared)
    builder.misc(ld, paragraphs)
    record = ArticleRecord(url=url, **builder.fields, rules=builder.rules,
                           warnings=tuple(builder.warnings), date_order=decision)  # fmt: skip
    return record, builder, ld


def page_order(markup: str, lang: str | None, profile: ExtractionProfile) -> DateOrderDecision:
    """How this page's ambiguous numeric dates are read (:mod:`pressroom.extractors.date_order`):
    the
    source's ``date_order``, unambiguous dates here or on the source's earlier pages, the page's
    ``<html lang>``, the source's language, its time zone."""
    return decide_order(
        configured=profile.date_order if profile.date_order_set else None,
        page=numeric_evidence([markup]),
        learned=profile.date_evidence,
        page_lang=lang,
        language=profile.language,
        timezone=profile.timezone,
        default=profile.date_order,
    )


class _Builder:
    """Collects field values with the rule that produced each, first rule wins."""

    def __init__(
        self, url: str, profile: ExtractionProfile, soup: BeautifulSoup, scan: PageScan,
        meta: MetaTags,
    ) -> None:  # fmt: skip
        self.url = url
        self.profile = profile
        self.soup = soup
        self.scan = scan
        self.meta = meta
        self.fields: dict[str, Any] = {}
        self.rules: dict[str, str] = {}
        self.warnings: list[str] = []
        self.selected: dict[str, list[Tag]] = {}
        self.containers: list[Tag] = []
        self.date_line: str | None = None
        self.meta_order = profile.date_order
        self.html = ""
        href = scan.base.get("href") if scan.base is not None else None
        self.base_url = href if isinstance(href, str) and href.startswith("http") else url

    def set(self, name: str, value: Any, rule: str | None) -> bool:
        if value in (None, "", ()) or name in self.fields:
            return False
        self.fields[name] = value
        self.rules[name] = rule or "generic"
        return True

    def miss(self, name: str, declared: Declared) -> None:
        what = "nothing" if not self.selected.get(name) else f"no usable {name}"
        self.warnings.append(
            f"{name}_selector {declared.css!r} matched {what}; used the generic rule"
        )

    def override_text(self, name: str, declared: dict[str, Declared]) -> None:
        if name not in declared:
            return
        value = first_value(self.selected[name], strip_label=name != "title")
        if value:
            self.fields[name] = value
            self.rules[name] = declared[name].rule
        else:
            self.miss(name, declared[name])

    def parse(self, text: str | None) -> datetime | None:
        if not text:
            return None
        return parse_date(text, timezone=self.profile.timezone, date_order=self.profile.date_order)

    def parse_meta(self, raw: str | None) -> datetime | None:
        """A date the CMS wrote (meta, script): read in its own order, not the page language's."""
        if not raw:
            return None
        return parse_date(raw, timezone=self.profile.timezone, date_order=self.meta_order)

    def dates(self, ld: Any, labelled: Labelled, declared: dict[str, Declared]) -> None:
        if "date" in declared:
            value = self.parse(first_value(self.selected["date"]))
            if value is not None:
                self.set("published_at", value, declared["date"].rule)
            else:
                self.miss("date", declared["date"])
        if ld is not None:
            self.set("published_at", self.parse(ld.published), "json-ld")
            self.set("updated_at", self.parse(ld.modified), "json-ld")
        for names, field in ((PUBLISHED_META, "published_at"), (UPDATED_META, "updated_at")):
            for name in names:
                if field in self.fields:
                    break
                if name not in WEAK_PUBLISHED_META:
                    self._meta(field, name)
        for tag in self.scan.date_props:
            raw = (
                tag.get("content")
                or tag.get("datetime")
                or tag.get("title")
                or tag.get_text(" ")[:_DATE_TEXT_MAX]
            )
            if isinstance(raw, str) and self.set("published_at", self.parse(raw), "microdata"):
                break
        for field, hit in (("published_at", labelled.published), ("updated_at", labelled.updated)):
            if hit is not None:
                self.set(field, hit[0], hit[1])
        if "published_at" not in self.fields:
            for tag in self.scan.times:
                if self.scan.in_chrome(tag) or other_items_date(tag):
                    continue
                raw = tag.get("datetime")
                value = self.parse(raw if isinstance(raw, str) else tag.get_text(" "))
                if self.set("published_at", value, "time"):
                    self.date_line = normalize_space(tag.get_text(" ")) or None
                    break
        for name in PUBLISHED_META:
            if name in WEAK_PUBLISHED_META and "published_at" not in self.fields:
                self._meta("published_at", name)
        tz = self.profile.timezone
        self.set("published_at", date_from_url(self.url, timezone=tz), "url")
        if "published_at" not in self.fields:
            self._unlabelled_dates()
        if "published_at" not in self.fields:
            self._script_date()
        if "published_at" not in self.fields and self.soup.title is not None:
            title = self.soup.title.get_text(" ").strip()  # "08.11.2021 | Fachtag zum ..."
            span = date_span(title[:40])
            if span is not None and span[0] == 0:
                self.set("published_at", self.parse(title[: span[1]]), "title-date")
        if "published_at" not in self.fields:
            self.warnings.append("no publication date found")
        elif self.rules["published_at"].startswith(MACHINE_RULES):
            self._visible_pick(ld, labelled)

    def disclosure(self, found: Disclosure) -> None:
        """Header-table fields, and its 发布日期 where :meth:`Disclosure.replaces` says so."""
        for name, value in found.fields.items():
            self.set(name, value, "disclosure:" + found.labels[name])
        if found.published and found.replaces(
            self.fields.get("published_at"), self.rules.get("published_at")
        ):
            self.fields["published_at"] = found.published
            self.rules["published_at"] = "disclosure:" + (found.published_label or "")
            self.warnings = [w for w in self.warnings if w != "no publication date found"]

    def _visible_pick(self, ld: Any, labelled: Labelled) -> None:
        """Disagreeing metadata dates: the visible one wins
        (:mod:`pressroom.extractors.visible`)."""
        machine = machine_dates(ld, self.meta, self.scan, self.html, self.parse_meta)
        found = corroborated(self.fields["published_at"], machine, self._visible, labelled)
        if found is not None:
            self.fields["published_at"], self.rules["published_at"] = found[0], found[1] + "+meta"

    def _meta(self, field: str, name: str) -> None:
        found = self.meta.get(name)
        if found:
            self.set(field, self.parse_meta(found[1]), "meta:" + self.meta.original(name))

    def _script_date(self) -> None:
        """A publication-date key in a script's data object (``"publishDate": "..."``), read like
        JSON-LD: the CMS's own statement, not a date found in text."""
        for raw in script_published(self.html):
            if self.set("published_at", self.parse_meta(raw), "script"):
                return

    def _visible(self) -> Dateline | None:
        value = first_visible_time(self.scan, self.parse)
        if value is not None:
            return value, "time", None
        return find_dateline(self.scan, self._headline_element(), self.containers, self.parse)

    def _unlabelled_dates(self) -> None:
        """Last resorts: bare visible dates near the article
        (:mod:`pressroom.extractors.datelines`)."""
        found = find_dateline(self.scan, self._headline_element(), self.containers, self.parse)
        if found is not None and self.set("published_at", found[0], found[1]):
            self.date_line = found[2]

    def _headline_element(self) -> Tag | None:
        """The heading that holds the title, else the first ``<h1>`` (even in chrome)."""
        title = self.fields.get("title")
        first_h1 = None
        for heading in self.scan.headings:
            if title and normalize_space(heading.get_text(" ")) == title:
                return heading
            if first_h1 is None and heading.name == "h1":
                first_h1 = heading
        return first_h1

    def people(self, ld: Any, labelled: Labelled, declared: dict[str, Declared]) -> None:
        if ld is not None and ld.authors:
            self.set("author", ", ".join(dict.fromkeys(ld.authors)), "json-ld")
        found = self.meta.get(*AUTHOR_META)
        if found and not _URL_LIKE.match(found[1]):
            self.set("author", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        if labelled.author is not None:
            self.set("author", labelled.author[0], labelled.author[1])
        for tag in self.scan.bylines:
            if self.scan.in_chrome(tag):
                continue
            name = byline_name(normalize_space(tag.get_text(" ")))
            if (
                2 < len(name) <= 80
                and not _URL_LIKE.match(name)
                and self.set("author", name, "byline")
            ):
                break
        self.override_text("author", declared)
        found = self.meta.get("contentsource")
        if found:
            self.set("origin", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        if labelled.origin is not None:
            self.set("origin", labelled.origin[0], labelled.origin[1])
        if ld is not None and ld.is_article:
            self.set("origin", ld.publisher, "json-ld:publisher")
        self.override_text("origin", declared)

    def misc(self, ld: Any, paragraphs: list[str]) -> None:
        html = self.soup.html
        lang = (html.get("lang") or html.get("xml:lang")) if html is not None else None
        self.set("language", lang.strip() if isinstance(lang, str) else None, "html-lang")
        self.set("language", self.profile.language, "profile")
        found = self.meta.get("content-language", "og:locale")
        if found:
            self.set("language", found[1], "meta:" + self.meta.original(found[0]))
        if ld is not None:
            self.set("language", ld.language, "json-ld")
        self.set("lede", paragraphs[0] if paragraphs else None, "first-paragraph")
        found = self.meta.get("description", "og:description")
        if found:
            self.set("lede", normalize_space(found[1]), "meta:" + self.meta.original(found[0]))
        for link in self.scan.links:
            rel = link.get("rel")
            href = link.get("href")
            if (
                isinstance(href, str)
                and href.strip()
                and "canonical" in str(rel or "").lower().split()
            ):
                self.set("canonical_url", absolute_url(self.url, href), "link:canonical")
                break
        found = self.meta.get("og:url")
        if found and found[1].startswith("http"):
            self.set("canonical_url", found[1], "meta:og:url")


def _outermost(tags: list[Tag]) -> list[Tag]:
    """Drop matches nested inside another match (``#zoom`` around ``.TRS_Editor``)."""
    ids = {id(t) for t in tags}
    kept = []
    for tag in tags:
        parent = tag.parent
        while parent is not None and id(parent) not in ids:
            parent = parent.parent
        if parent is None:
            kept.append(tag)
    return kept


def _article_region(containers: list[Tag]) -> Tag | None:
    """Where attachments may sit: the container's parent (attachment blocks follow the body)."""
    if not containers:
        return None
    parent = containers[0].parent
    return parent if isinstance(parent, Tag) and parent.name not in ("body", "html") else None
