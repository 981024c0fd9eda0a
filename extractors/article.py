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

The markup is cut down before the parse by :mod:`pressroom.extractors.markup`; the sources of
the dates, people and the other fields are tried, in the order above, by
:class:`pressroom.extractors.article_fields.FieldBuilder`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from pressroom.core.articles import ArticleRecord, DateOrderDecision, ExtractionProfile
from pressroom.core.errors import ExtractionError
from pressroom.extractors.article_fields import FieldBuilder
from pressroom.extractors.body import find_container
from pressroom.extractors.cascade import choose_body
from pressroom.extractors.date_order import decide_order, numeric_evidence
from pressroom.extractors.dates import in_page_offset
from pressroom.extractors.encoding import binary_reason, decode_html
from pressroom.extractors.govpage import content_markers, drop_signature_dates, read_disclosure
from pressroom.extractors.headline import choose_title, find_subtitle
from pressroom.extractors.labels import find_labelled
from pressroom.extractors.markup import clean_markup
from pressroom.extractors.media import find_attachments, find_images
from pressroom.extractors.metadata import JsonLd, MetaTags, read_json_ld
from pressroom.extractors.page_kind import PageKind, classify_page, document_kind
from pressroom.extractors.scan import scan_page
from pressroom.extractors.selectors import declared_selectors, select_all

__all__ = ["extract_article", "extract_page"]

_HAS_TAG = re.compile(r"<[a-zA-Z!?/]")


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


def _extract(
    body: bytes, url: str, profile: ExtractionProfile, content_type: str | None
) -> tuple[ArticleRecord, FieldBuilder, JsonLd | None]:
    binary = binary_reason(body, content_type)
    if binary:  # stray NUL or control bytes alone are not binary: decode_html drops them
        raise ExtractionError(f"not an HTML page (binary content: {binary})", url=url)
    html = decode_html(body, content_type)
    if not _HAS_TAG.search(html[:65536]):
        raise ExtractionError("not an HTML page (no markup)", url=url)
    ld = read_json_ld(html)
    markup = clean_markup(html)
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
    builder = FieldBuilder(url, profile, soup, scan, meta)
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
