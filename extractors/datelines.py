"""Unlabelled visible dates: the last resorts of the ``published_at`` cascade.

When no metadata, label, ``<time>`` or URL gives the date, the page usually still shows it as a
bare line set close to the article: an element whose class says "date", a line just under (or
just above) the headline or at the top of the body, or the entry's own footer ("Posted by Jane on
3 May 2013"). Each is looked for only where the article is, never in page chrome: dates in
sidebars, related lists, comments and the page footer are other items' dates. "Updated" lines
are skipped. Nothing found gives None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from bs4 import NavigableString, Tag

from pressroom.extractors.boilerplate import BLOCK_TAGS, CHROME, HARD_CHROME, attr_key
from pressroom.extractors.scan import PageScan

__all__ = ["UPDATED_TEXT", "Dateline", "find_dateline", "other_items_date"]

UPDATED_TEXT = re.compile(
    r"updat|modif|aktualisi|geändert|änderung|\bstand\b|mis à jour|actualiz|更新|修改", re.I
)
_FOOTER_KEY = re.compile(r"foot")
_META_KEY = re.compile(r"foot|meta|info|byline|date|time|posted|submitted|author|subline")
_NOT_META_KEY = re.compile(r"relat|teaser|recommend|share|social|caption")
_TEASER_KEY = re.compile(r"teaser|related|recommend|comment|kommentar")
_OTHER_ITEM_DEPTH = 8
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权", re.I)
_DATE_TEXT_MAX = 120
_NEAR_TITLE_STRINGS = 12
_ABOVE_TITLE_STRINGS = 2
_ABOVE_TITLE_ELEMENTS = 12
_ENTRY_SHARE = 2.0  # the entry holds at most twice the body's text (plus a little): not the page
_ENTRY_EXTRA = 1000
_LINE_MAX = 80  # a date line is short; a date inside a sentence of the body is not the article's
_PROSE_MIN = 150
_DATELINE_HEAD = 30  # a long string opening on a date (after a place name) is a dateline
_DATELINE = re.compile(r"\W{0,2}(?:[A-ZÄÖÜ][\w.-]*(?:\s[A-ZÄÖÜ][\w.-]*){0,2},\s*)?[(\[]?\d")
_NOT_ENTRY = frozenset({"body", "html", "[document]"})

Parse = Callable[[str | None], datetime | None]
Dateline = tuple[datetime, str, str | None]  # value, rule, the bare line when it was one string


def find_dateline(
    scan: PageScan, headline: Tag | None, containers: list[Tag], parse: Parse
) -> Dateline | None:
    """The first unlabelled date by the rules above, most reliable first."""
    return (
        _class_date(scan, parse)
        or _near_anchor(scan, headline, containers, parse)
        or _entry_footer(scan, containers, parse)
    )


def other_items_date(tag: Tag) -> bool:
    """True for a date element of something else shown on the page: inside a ``<blockquote>``
    (quoted or embedded posts: Instagram, X, Mastodon), a comment, or a teaser of another
    article."""
    node = tag.parent
    for _ in range(_OTHER_ITEM_DEPTH):
        if node is None or node.name in _NOT_ENTRY:
            return False
        if node.name == "blockquote" or (node.attrs and _TEASER_KEY.search(attr_key(node))):
            return True
        node = node.parent
    return False


def _class_date(scan: PageScan, parse: Parse) -> Dateline | None:
    """An element whose class or id says "date" (``<span class="post-date">``)."""
    for tag in scan.date_elements:
        if scan.in_chrome(tag) or other_items_date(tag):
            continue
        for raw in (tag.get("datetime"), tag.get("content")):
            value = parse(raw) if isinstance(raw, str) else None
            if value is not None:
                return value, "class:date", None
        text = tag.get_text(" ")[:_DATE_TEXT_MAX]
        value = None if UPDATED_TEXT.search(text) else parse(text)
        if value is None:  # a title attribute beside a visible date is often stale: text first
            raw = tag.get("title")
            value = parse(raw) if isinstance(raw, str) else None
        if value is not None:
            return value, "class:date", None
    return None


def _near_anchor(
    scan: PageScan, headline: Tag | None, containers: list[Tag], parse: Parse
) -> Dateline | None:
    """A date line just under the headline or at the top of the body, else just above them."""
    anchors = [a for a in (headline, *containers[:1]) if a is not None]
    strings = scan.label_strings
    orders = [scan.order.get(id(s.parent), 0) for s in strings]
    for anchor in anchors:  # the headline first, then the top of the body container
        start = scan.order.get(id(anchor), 0)
        after = [s for s, o in zip(strings, orders, strict=True) if o >= start]
        found = _first_date(scan, after[:_NEAR_TITLE_STRINGS], "near-title", parse)
        if found:
            return found
    for anchor in anchors:  # a date line set just above the headline or the body
        start = scan.order.get(id(anchor), 0)
        at = next((i for i, o in enumerate(orders) if o >= start), len(orders))
        above = [
            strings[i]
            for i in range(at - 1, max(-1, at - 1 - _ABOVE_TITLE_STRINGS), -1)
            if start - orders[i] <= _ABOVE_TITLE_ELEMENTS
        ]
        found = _first_date(scan, above, "above-title", parse)
        if found:
            return found
    return None


def _first_date(
    scan: PageScan, strings: list[NavigableString], rule: str, parse: Parse
) -> Dateline | None:
    for string in strings:
        if scan.in_chrome(string.parent) or UPDATED_TEXT.search(string):
            continue
        if _in_prose(scan, string, parse):
            continue
        value = parse(string)
        if value is not None:
            return value, rule, _bare_line(string)
    return None


def _entry_footer(scan: PageScan, containers: list[Tag], parse: Parse) -> Dateline | None:
    """A date in the entry's own meta or footer line, beside the body ("Posted on 3 May 2013
    by Jane", ``<div class="post-footer">``): the body container's parent when that parent is
    the entry rather than the page. Comments, related lists, navigation and asides are skipped.
    """
    if not containers:
        return None
    entry = containers[0].parent
    if entry is None or entry.name in _NOT_ENTRY:
        return None
    body_len = sum(scan.text_len.get(id(c), 0) for c in containers)
    if scan.text_len.get(id(entry), 0) > _ENTRY_SHARE * body_len + _ENTRY_EXTRA:
        return None
    start = scan.order.get(id(entry), 0)
    seen = False
    for string in scan.label_strings:
        if scan.order.get(id(string.parent), 0) < start:
            continue
        place = _place(scan, string.parent, entry)
        if place == "outside":
            if seen:
                break  # past the entry
            continue
        seen = True
        if place != "meta" or UPDATED_TEXT.search(string) or _COPYRIGHT.search(string):
            continue
        if _in_prose(scan, string, parse):
            continue
        value = parse(string)
        if value is not None:
            return value, "entry-footer", _bare_line(string)
    return None


def _place(scan: PageScan, tag: Tag, entry: Tag) -> str:
    """ "meta" for the entry's own footer or meta lines, "skip", or "outside" the entry."""
    meta = False
    node: Tag | None = tag
    while node is not None and node is not entry:
        flag = scan.own_flags.get(id(node), 0)
        if flag == HARD_CHROME or node.name in ("nav", "aside", "menu"):
            return "skip"
        if flag:
            key = attr_key(node)
            if _NOT_META_KEY.search(key) or (flag == CHROME and not _FOOTER_KEY.search(key)):
                return "skip"  # a related box, a sidebar or a widget inside the entry
            meta = meta or bool(_META_KEY.search(key)) or node.name == "footer"
        node = node.parent
    if node is None:
        return "outside"
    return "meta" if meta else "skip"


def _in_prose(scan: PageScan, string: NavigableString, parse: Parse) -> bool:
    """True for a date inside running text (a long string, or a string in a long paragraph)
    rather than on a line of its own: "The council met on 5 March 2023 and ..." is not a date
    line."""
    if len(string) > _LINE_MAX and len(string.strip()) > _LINE_MAX:
        head = string.strip()[:_DATELINE_HEAD]  # "27.1.2022 - The ...", "Bonn, (12.11.2021). ..."
        return _DATELINE.match(head) is None or parse(head) is None
    node = string.parent
    while node is not None and node.name not in BLOCK_TAGS:
        node = node.parent
    return node is not None and node.name == "p" and scan.text_len.get(id(node), 0) > _PROSE_MIN


def _bare_line(string: NavigableString) -> str | None:
    """The string as a bare date line (which then leaves the body), or None for a dateline that
    opens a paragraph of text (which stays)."""
    line = " ".join(string.split())
    return line if len(line) <= _LINE_MAX else None
