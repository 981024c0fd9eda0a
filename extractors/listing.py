"""Listing pages: which links are articles, and where the next page is.

``parse_listing`` works without any configuration. Article links are found generically:

1. anchors inside navigation, headers, footers, sidebars and "hot"/"popular" boxes are ignored
   (by tag and by class/id words);
2. the remaining same-site anchors with headline-length text are grouped by their structural
   path (tag and class names from the root, positions ignored), so the rows of the news list
   fall into one group;
3. the best group wins: many members, long texts, article-like URLs (digits, dates, ``.html``,
   long slugs). With no repeated group (a last page with one article) every headline anchor
   with an article-like URL is kept.

A date printed next to the link (in the same list row) becomes ``ListingLink.published_at``;
numeric ones (``07/01/2023``) are read in the order decided by
:mod:`pressroom.extractors.date_order`, and
flagged ``date_uncertain`` when only language or time zone decided it.

A box whose own heading (an ``h2``-``h4``, ``strong`` or ``.title`` element at its top) says
"Most read", "Most popular", "Related", "热点", "热门", "排行", "推荐", "相关", ... is chrome
whatever its classes say. A walk passes ``repeated`` (the link URLs of its earlier pages): a
group whose links mostly appeared there is a box repeated on every page, not the list.

With a ``template`` (:class:`pressroom.core.articles.ListTemplate`, learned from the source's
first pages) the rows matching it are the list, however short the page or however long another
box; the date is read where the template says it sits in a row. When nothing matches (a
redesign), the page is read generically and ``ListingPage.template_matched`` is False. Every
generically read page reports the template of the rows it took (``ListingPage.template``).

The next page is found from, in order: ``next_selector``; ``rel=next``; an anchor whose text
or title is "Next", "下一页", "Older posts", "›", "»", ...; numbered page links (current + 1);
a pager drawn by script (TRS ``createPageHTML``, "共N页": :mod:`pressroom.extractors.pagers`); the
gov.cn
``index.html`` → ``index_1.html`` → ``index_2.html`` pattern when such links are present; a Hanweb
jcms data endpoint (a POST, in ``next_requests``: :mod:`pressroom.extractors.hanweb`).

Links that inline scripts hold (Hanweb datastore records, ``document.write`` output) are read
as if they were static markup (:mod:`pressroom.extractors.scripts`). A headline cut short ("…")
gives way
to the anchor's full ``title``.
With ``link_selector`` the matched anchors (or the anchors inside matched elements) are the
article links.

The steps live in their own modules: :mod:`pressroom.extractors.listing_anchors` (anchors,
their URLs and structural paths), :mod:`~pressroom.extractors.listing_chrome` (regions that are
never the list), :mod:`~pressroom.extractors.listing_links` (which links are the articles),
:mod:`~pressroom.extractors.listing_rows` (rows, their dates, learning the template) and
:mod:`~pressroom.extractors.listing_next` (the next page); this module puts them together.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bs4 import BeautifulSoup, Tag

from pressroom.core.articles import DateOrder, DateOrderEvidence, ListingPage, ListTemplate
from pressroom.extractors.date_order import decide_order, numeric_evidence
from pressroom.extractors.hanweb import endpoint_request
from pressroom.extractors.listing_anchors import (
    Anchors,
    Member,
    Signature,
    all_tags,
    headline_candidates,
    named_tags,
)
from pressroom.extractors.listing_links import generic_links, selected_links, template_links
from pressroom.extractors.listing_next import next_pages
from pressroom.extractors.listing_rows import (
    candidates_below,
    date_near,
    dated_link,
    learn_template,
    row_at,
    row_of,
)
from pressroom.extractors.pagers import read_pager
from pressroom.extractors.scripts import expand_scripts
from pressroom.extractors.urls import normalize_url

__all__ = ["parse_listing"]

_HTMLISH = re.compile(rb"<[A-Za-z][^>]*?\s")


def parse_listing(
    body: bytes | str,
    url: str,
    *,
    link_selector: str | None = None,
    next_selector: str | None = None,
    date_order: DateOrder = "MDY",
    timezone: str = "UTC",
    template: ListTemplate | None = None,
    repeated: Collection[str] = frozenset(),
    date_order_set: bool = False,
    language: str | None = None,
    learned: DateOrderEvidence | None = None,
) -> ListingPage:
    """Article links (page order, normalized, deduped) and next-page URLs of a listing page.

    ``template``: the source's learned row template (see the module docstring); ``repeated``:
    link URLs the walk saw on its earlier pages.

    Numeric row dates are read in the order :func:`pressroom.extractors.date_order.decide_order`
    picks:
    ``date_order`` when ``date_order_set`` (the source's own), else unambiguous row dates of
    this page or ``learned`` from the source's earlier pages, else ``<html lang>``,
    ``language``, ``timezone``, and ``date_order`` last."""
    raw, body = body, expand_scripts(body)
    if not _HTMLISH.search(body if isinstance(body, bytes) else body.encode("utf-8", "replace")):
        return ListingPage(url=normalize_url(url), template_matched=False if template else None)
    soup = BeautifulSoup(body, "lxml")
    tags = all_tags(soup)
    base_tag = next(iter(named_tags(tags, frozenset({"base"}), "href")), None)
    page_url = url
    if isinstance(base_tag, Tag) and isinstance(base_tag.get("href"), str):
        page_url = normalize_url(str(base_tag["href"]), base=url)
    anchors = Anchors(tags, page_url)
    used: ListTemplate | None = None
    matched: bool | None = None
    signature: Signature | None = None
    others: tuple[Signature, ...] = ()
    headlines: list[Member] = []
    if link_selector:
        members = selected_links(soup, page_url, link_selector)
    else:
        headlines = headline_candidates(anchors, page_url)
        members, refused = (
            template_links(headlines, template, repeated) if template else ([], False)
        )
        if template is not None:
            matched = bool(members)
        if members:
            used = template
        else:
            # a template whose rows repeat was a box: its list of other blocks is no guide
            known = (
                () if template is None else (template.signature,) if refused else template.chrome
            )
            members, signature, others = generic_links(
                headlines, anchors, repeated, known, strict=template is not None
            )
            others = others + known
    below = candidates_below(list({id(a): a for a, _, _ in members}.values()))
    date_path = used.date_path if used is not None else None
    found: list[tuple[str, str | None, str | None]] = []
    rows: list[tuple[Tag, Tag]] = []
    seen: set[str] = set()
    for anchor, link_url, text in members:
        if link_url in seen:
            continue
        seen.add(link_url)
        row = row_at(anchor, used.row_depth) if used is not None else row_of(anchor, below)
        rows.append((anchor, row))
        found.append((link_url, text or None, date_near(anchor, row, timezone, date_path)))
    evidence = numeric_evidence(when for _, _, when in found if when)
    lang = soup.html.get("lang") if soup.html is not None else None
    decision = decide_order(
        configured=date_order if date_order_set else None,
        page=evidence,
        learned=learned,
        page_lang=lang if isinstance(lang, str) else None,
        language=language,
        timezone=timezone,
        default=date_order,
    )
    links = tuple(dated_link(u, title, when, timezone, decision) for u, title, when in found)
    if used is None and signature is not None and rows:
        used = learn_template(signature, rows, timezone, decision.order, others)
    scripts = [s.string or s.get_text() or "" for s in named_tags(tags, frozenset({"script"}))]
    pager = read_pager(scripts, soup.get_text(" "), page_url)
    next_urls = next_pages(soup, tags, anchors, page_url, next_selector, pager)
    endpoint = endpoint_request(raw, scripts, page_url)
    return ListingPage(
        url=normalize_url(url),
        links=links,
        next_urls=tuple(next_urls),
        next_requests=(endpoint,) if endpoint else (),
        pager=pager.info if pager else None,
        template=used,
        template_matched=matched,
        anchor_urls=frozenset(u for _, u, _ in headlines),
        date_order=decision,
        date_evidence=evidence,
    )
