"""Where a listing page's next page is.

In order: ``next_selector``; ``rel=next``; an anchor whose text, title or aria-label is "Next",
"下一页", "Older posts", "›", "»", ...; numbered page links (current + 1); a pager drawn by
script (:mod:`pressroom.extractors.pagers`); the gov.cn ``index.html`` → ``index_1.html`` →
``index_2.html`` pattern when such links are present. Only same-host URLs other than the page's
own count.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from pressroom.extractors.listing_anchors import (
    Anchors,
    anchor_url,
    class_tokens,
    named_tags,
    same_host,
    tag_text,
)
from pressroom.extractors.pagers import ScriptPager
from pressroom.extractors.urls import host_of, normalize_url

__all__ = ["next_pages"]

_NEXT_TEXTS = frozenset(
    {
        "next",
        "next page",
        "next »",
        "next ›",
        "next >",
        "next>",
        "older",
        "older posts",
        "older entries",
        "older news",
        "› older",
        "›",
        "»",
        ">",
        "下一页",
        "下页",
        "下一頁",
        "后一页",
        "后页",
        "下一页>",
        "下一页 >",
        "nächste",
        "weiter",
        "suivant",
        "siguiente",
    }
)
_CURRENT_MARK = re.compile(r"(?:^|\s)(?:active|current|cur|on|selected|now)(?:$|\s)", re.I)
_DIGITS = re.compile(r"^\s*\d+\s*$")
_NUMBER_TAGS = frozenset({"a", "span", "strong", "em", "b", "li", "font"})
_GOV_INDEX = re.compile(r"^(?P<dir>.*/)(?P<stem>index|default)(?:_(?P<n>\d+))?\.(?P<ext>s?html?)$")


def _numbered_next(tags: list[Tag], page_url: str, page_norm: str) -> str | None:
    """The link numbered current + 1; the current page is unlinked, marked or this URL."""
    numbered: dict[int, str] = {}
    current: int | None = None
    for node in named_tags(tags, _NUMBER_TAGS):
        text = tag_text(node)
        if not text.isdigit() or len(text) > 5:
            continue
        number = int(text)
        if node.name == "a":
            url = anchor_url(node, page_url)
            parent = node.parent if isinstance(node.parent, Tag) else node
            marks = f"{class_tokens(node)} {class_tokens(parent)}"
            if url == page_norm or _CURRENT_MARK.search(marks):
                current = number if current is None else current
            elif url is not None:
                numbered.setdefault(number, url)
        elif (
            current is None
            and node.find("a") is None
            and isinstance(node.parent, Tag)
            and node.parent.find("a", string=_DIGITS) is not None
        ):
            current = number
    if not numbered:
        return None
    if current is None:
        gaps = [n for n in range(1, max(numbered) + 1) if n not in numbered]
        # the one unlinked number is this page; with none, this is page 1 under another URL
        current = gaps[0] if len(gaps) == 1 else (1 if not gaps else None)
    return numbered.get(current + 1) if current is not None else None


def _gov_index_next(page_url: str, hrefs: set[str]) -> str | None:
    """gov.cn: ``dir/`` (``index.html``) → ``index_1.html`` → ``index_2.html``, when linked."""
    path = normalize_url(page_url).split("?", 1)[0]
    if path.endswith("/"):
        options = [f"{path}index_1.{ext}" for ext in ("html", "shtml", "htm")]
    else:
        match = _GOV_INDEX.match(path)
        if not match or not match["n"]:
            return None
        nxt = int(match["n"]) + 1
        options = [f"{match['dir']}{match['stem']}_{nxt}.{match['ext']}"]
    return next((o for o in options if o in hrefs), None)


def next_pages(
    soup: BeautifulSoup,
    tags: list[Tag],
    anchors: Anchors,
    page_url: str,
    selector: str | None,
    pager: ScriptPager | None = None,
) -> list[str]:
    """The next-page URLs of the page, in the order the module docstring gives."""
    page_norm = normalize_url(page_url)
    page_host = host_of(page_url)
    found: list[str] = []

    def add(url: str | None) -> None:
        if url and url != page_norm and same_host(url, page_host) and url not in found:
            found.append(url)

    if selector:
        for node in soup.select(selector):
            anchor = node if node.name == "a" else node.find("a", href=True)
            if isinstance(anchor, Tag):
                add(anchor_url(anchor, page_url))
        return found
    for tag in named_tags(tags, frozenset({"link", "a"}), "rel"):
        rel = tag.get("rel") or []
        rels = rel.split() if isinstance(rel, str) else rel
        if "next" in [r.lower() for r in rels]:
            add(anchor_url(tag, page_url))
    for anchor, url in anchors:
        labels = {tag_text(anchor).lower(), str(anchor.get("title") or "").strip().lower()}
        labels.add(str(anchor.get("aria-label") or "").strip().lower())
        if labels & _NEXT_TEXTS:
            add(url)
    add(_numbered_next(tags, page_url, page_norm))
    add(pager.next_url(page_url) if pager else None)
    hrefs = {u for u in anchors.urls if u}
    add(_gov_index_next(page_url, hrefs))
    return found
