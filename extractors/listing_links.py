"""Which links of a listing page are its articles.

Three ways, tried by :func:`pressroom.extractors.listing.parse_listing`: the anchors matched by
a declared ``link_selector`` (:func:`selected_links`); the rows of the source's learned template
(:func:`template_links`); else the best group of headline anchors sharing a structural path
outside page chrome (:func:`generic_links`). A group whose links mostly appeared on the walk's
earlier pages is a box repeated on every page, not the list.
"""

from __future__ import annotations

from collections.abc import Collection

from bs4 import BeautifulSoup, Tag

from pressroom.core.articles import ListTemplate
from pressroom.extractors.headlines import full_title
from pressroom.extractors.list_template import matches
from pressroom.extractors.listing_anchors import (
    Anchors,
    Member,
    Signature,
    anchor_url,
    articleish_url,
    signature_of,
    tag_text,
)
from pressroom.extractors.listing_chrome import in_skipped_region

__all__ = ["generic_links", "selected_links", "template_links"]

_REPEATED_SHARE = 0.5
"""A group is chrome when at least this share of its URLs appeared on earlier pages of the walk."""


def _mostly_repeated(members: list[Member], repeated: Collection[str]) -> bool:
    """True when most of the group's URLs were already linked from earlier pages."""
    if not repeated:
        return False
    urls = {u for _, u, _ in members}
    return sum(1 for u in urls if u in repeated) >= _REPEATED_SHARE * len(urls)


def template_links(
    headlines: list[Member], template: ListTemplate, repeated: Collection[str]
) -> tuple[list[Member], bool]:
    """The anchors of the template's rows (exact signature, else by its tail), and whether
    they were refused as a block repeated from earlier pages (the template was a box)."""
    signatures = [signature_of(a) for a, _, _ in headlines]
    refused = False
    for exact in (True, False):
        chosen = [
            m
            for m, sig in zip(headlines, signatures, strict=True)
            if matches(template, sig, exact=exact)
        ]
        if chosen and not _mostly_repeated(chosen, repeated):
            return chosen, False
        refused = refused or bool(chosen)
    return [], refused


def generic_links(
    headlines: list[Member],
    anchors: Anchors,
    repeated: Collection[str],
    known_chrome: Collection[Signature] = (),
    *,
    strict: bool = False,
) -> tuple[list[Member], Signature | None, tuple[Signature, ...]]:
    """The article links of a page read without a template, the signature of the group they
    came from (None when gathered from several groups) and the signatures of the other groups
    of two or more links. Groups with a signature in ``known_chrome`` are not candidates;
    ``strict`` (a template no longer matched) keeps no lone link without an article-like URL."""
    groups: dict[Signature, list[Member]] = {}
    chrome: dict[int, bool] = {}
    for anchor, url, text in headlines:
        if in_skipped_region(anchor, chrome):
            continue
        groups.setdefault(signature_of(anchor), []).append((anchor, url, text))
    groups = {
        sig: ms
        for sig, ms in groups.items()
        if sig not in known_chrome and not _mostly_repeated(ms, repeated)
    }
    if not groups:
        return [], None, ()

    def score(members: list[Member]) -> float:
        urls = {u for _, u, _ in members}
        articleish = sum(1 for u in urls if articleish_url(u)) / len(urls)
        mean_len = sum(min(len(t), 80) for _, _, t in members) / len(members)
        return len(urls) * (0.25 + articleish) * mean_len

    best_sig = max(groups, key=lambda sig: score(groups[sig]))
    best = groups[best_sig]
    picked: tuple[str, ...] | None = best_sig
    if len({u for _, u, _ in best}) >= 3:
        chosen = list(best)
    else:
        chosen = [m for ms in groups.values() for m in ms if articleish_url(m[1])]
        if not chosen and strict:
            return [], None, ()
        if not chosen:
            chosen = best
        if {id(a) for a, _, _ in chosen} != {id(a) for a, _, _ in best}:
            picked = None
    order = {id(a): i for i, a in enumerate(anchors.tags)}
    others = tuple(
        sig for sig, ms in groups.items() if sig != picked and len({u for _, u, _ in ms}) >= 2
    )
    return sorted(chosen, key=lambda m: order[id(m[0])]), picked, others


def selected_links(soup: BeautifulSoup, page_url: str, selector: str) -> list[tuple[Tag, str, str]]:
    """The anchors ``selector`` matches, or the anchors inside the elements it matches."""
    out = []
    for node in soup.select(selector):
        anchors = [node] if node.name == "a" else node.find_all("a", href=True)
        for anchor in anchors:
            url = anchor_url(anchor, page_url)
            if url and url.startswith(("http://", "https://")):
                out.append((anchor, url, full_title(tag_text(anchor), anchor.get("title"))))
    return out
