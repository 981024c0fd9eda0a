"""Page chrome on a listing page: the regions whose anchors are never the article list.

Navigation, the page's header and footer, sidebars and "hot"/"popular" boxes are known by tag
and by class/id words; a box whose own heading (an ``h2``-``h4``, ``strong`` or ``.title``
element at its top) says "Most read", "Related", "热点", "排行", ... is chrome whatever its
classes say. The header or footer of one list item is not the page's.
"""

from __future__ import annotations

import re

from bs4 import Tag

from pressroom.extractors.listing_anchors import class_tokens, headline_length, tag_text

__all__ = ["in_skipped_region"]

_SKIP_TAGS = frozenset({"nav", "header", "footer", "aside", "menu", "script", "style"})
_ITEM_TAGS = frozenset({"article", "li", "tr", "dd"})
_HEAD_FOOT = frozenset({"header", "head", "footer", "foot"})
_SKIP_WORDS = re.compile(
    r"(?:^|[-_\s])(?P<word>nav|navbar|navigation|menu|menus|footer|foot|header|head|crumbs?"
    r"|breadcrumbs?|hot|hots|hotnews|popular|most-?read|trending|rank|ranking|top10|sidebar|side"
    r"|aside|related|share|social|login|toolbar|topbar|links|friendlinks?|banner|tags?|skip|pager"
    r"|pagination|widgets?|secondary|page-?nav|pages)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_CHROME_HEADING = re.compile(
    r"most[\s-]*(?:read|popular|viewed|shared|commented)|popular|related|trending|top stories"
    r"|see also|you may also like|recommended|热点|热门|排行|推荐|相关|阅读排行|点击排行",
    re.IGNORECASE,
)
_HEADING_TAGS = frozenset({"h2", "h3", "h4", "strong"})
_TITLE_CLASS = re.compile(r"(?:^|[-_\s])(?:title|tit|head|heading|hd)(?:$|[-_\s])", re.I)
_MAX_HEADING = 30


def _box_heading(box: Tag) -> Tag | None:
    """The heading at the top of ``box``: its first child element, when that is an h2-h4,
    a ``strong`` or an element with a title/head class."""
    first = next((c for c in box.children if isinstance(c, Tag)), None)
    if first is None:
        return None
    if first.name in _HEADING_TAGS or _TITLE_CLASS.search(class_tokens(first)):
        return first
    return None


def _chrome_heading(box: Tag, cache: dict[int, bool]) -> bool:
    """True when ``box``'s own heading names a chrome box ("Most read", "相关", ...)."""
    key = id(box)
    found = cache.get(key)
    if found is None:
        heading = _box_heading(box)
        found = heading is not None and _names_chrome(heading)
        cache[key] = found
    return found


def _names_chrome(heading: Tag) -> bool:
    """A short heading with a chrome word and no headline link of its own."""
    text = tag_text(heading)
    return (
        0 < len(text) <= _MAX_HEADING
        and _CHROME_HEADING.search(text) is not None
        and not any(headline_length(tag_text(a)) for a in heading.find_all("a"))
    )


def in_skipped_region(anchor: Tag, cache: dict[int, bool] | None = None) -> bool:
    """Inside navigation, page header/footer, sidebar, hot list...? (An item's own header isn't.)
    ``cache`` keeps the heading verdict of each box across the anchors of one page."""
    cache = {} if cache is None else cache
    parents = [p for p in anchor.parents if isinstance(p, Tag)]
    for index, parent in enumerate(parents):
        if parent.name in ("body", "html", "[document]"):
            break
        if _chrome_heading(parent, cache):
            return True
        hit = _SKIP_WORDS.search(class_tokens(parent))
        tag_hit = parent.name in _SKIP_TAGS or parent.get("role") in ("navigation", "banner")
        if not (hit or tag_hit):
            continue
        head_foot = parent.name in ("header", "footer") or (
            hit is not None and not tag_hit and hit["word"].lower() in _HEAD_FOOT
        )
        if head_foot and any(p.name in _ITEM_TAGS for p in parents[index + 1 :]):
            continue  # the header of one list item, not of the page
        return True
    return False
