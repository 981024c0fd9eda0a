"""One pass over the parsed page that everything else reads from.

The walk visits every element once (post-order) and records:

* per element: text length, text length inside links, and its *own* boilerplate flag from tag,
  class and id (see :mod:`pressroom.extractors.boilerplate`);
* readability-style content scores: each paragraph-like block adds ``1 + commas + len/100``
  (capped) to its parent and half to its grandparent;
* the elements the cascade needs: ``<meta>``, ``<link>``, ``<time>``, headings, images, links,
  byline elements (class ``author``/``byline``, ``rel=author``, ``itemprop=author``), elements
  whose class or id says "date", and short strings that may carry a label or a date
  ("发布时间：", "Posted on:", "Source:", "21. Januar 2022").

Whether an element sits *inside* chrome or furniture is answered afterwards, lazily and memoised,
by walking up its ancestors (:meth:`PageScan.in_chrome`, :meth:`PageScan.in_non_body`). A flagged
element that holds most of the page's text is a layout wrapper with an unlucky class name
("content-with-sidebar", "header-style-2") and does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from pressroom.extractors.boilerplate import (
    BLOCK_TAGS,
    CHROME,
    HARD_CHROME,
    NON_BODY,
    SKIP_TAGS,
    attr_key,
    flag_of,
    flagged_by_name,
)

__all__ = ["CHROME", "NON_BODY", "PageScan", "scan_page"]

_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "li", "dd"})
_TEXT_BLOCKS = frozenset({"div", "section", "span", "font"})
_STRUCTURAL_CHROME = frozenset({"nav", "aside", "footer", "menu"})
_COMMAS = re.compile(r"[,，、。；]")
_BYLINE_KEY = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|byl|writer)(?:$|[\s_-])")
_DATE_KEY = re.compile(
    r"date|datum|time|publish|posted|pubdate|fecha|data-?pub|meta|info|byline|author|submitted"
    r"|dateline"
)
_DATE_PROPS = frozenset(
    {"datePublished", "dateCreated", "schema:datePublished", "schema:dateCreated", "dc:date",
     "dcterms:created", "dcterms:issued", "article:published_time"}
)  # fmt: skip
_UPDATED_KEY = re.compile(r"updat|modif|edited|revis")
_LABEL_HINT = re.compile(
    r"[:：]|\b(?:by|posted|published|updated|on)\b|\d{4}|年|\d\.\s?\d{1,2}\.\s?\d{2}\b", re.I
)  # the last: short day-first dates (02.12.19)
_DATE_HEAD = re.compile(r"\d{4}|\d\.\s?\d{1,2}\.")  # a long paragraph opening on a dateline
_WRAPPER_SHARE = 0.35
_PAGE_SHARE = 0.8
_FURNITURE_MAX = 600


@dataclass
class PageScan:
    """What the walk found; element keys are ``id(tag)``."""

    text_len: dict[int, int] = field(default_factory=dict)
    link_len: dict[int, int] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    candidates: dict[int, Tag] = field(default_factory=dict)
    own_flags: dict[int, int] = field(default_factory=dict)
    metas: list[Tag] = field(default_factory=list)
    links: list[Tag] = field(default_factory=list)
    times: list[Tag] = field(default_factory=list)
    headings: list[Tag] = field(default_factory=list)
    minor_headings: list[Tag] = field(default_factory=list)  # h4-h6
    anchors: list[Tag] = field(default_factory=list)
    images: list[Tag] = field(default_factory=list)
    bylines: list[Tag] = field(default_factory=list)
    date_elements: list[Tag] = field(default_factory=list)
    date_props: list[Tag] = field(default_factory=list)
    label_strings: list[NavigableString] = field(default_factory=list)
    order: dict[int, int] = field(default_factory=dict)
    title: str | None = None
    base: Tag | None = None
    page_text: int = 0
    _state: dict[int, int] = field(default_factory=dict)

    def link_density(self, tag: Tag) -> float:
        total = self.text_len.get(id(tag), 0)
        return self.link_len.get(id(tag), 0) / total if total else 0.0

    def flag(self, tag: Tag) -> int:
        """The element's own flag (0, NON_BODY or CHROME), wrappers of most text excepted."""
        key = id(tag)
        own = self.own_flags.get(key, 0)
        if own == HARD_CHROME:
            return CHROME
        if not own or tag.name in _STRUCTURAL_CHROME:
            return own
        text = self.text_len.get(key, 0)
        plain = text - self.link_len.get(key, 0)
        if own == NON_BODY and plain > _FURNITURE_MAX:
            return 0  # "furniture" (a header, a meta block) holding a whole article
        if text > _WRAPPER_SHARE * self.page_text and plain > 0.7 * text:
            return 0  # a layout wrapper with an unlucky class name
        if text > _PAGE_SHARE * self.page_text:
            return 0  # it holds nearly the whole page ("navigation-container" around it all)
        return own

    def state(self, tag: Tag) -> int:
        """The strongest flag on the element or any ancestor (memoised)."""
        chain: list[Tag] = []
        node: Tag | None = tag
        known = 0
        while node is not None and node.name != "[document]":
            cached = self._state.get(id(node))
            if cached is not None:
                known = cached
                break
            chain.append(node)
            node = node.parent
        for element in reversed(chain):
            known = max(known, self.flag(element))
            self._state[id(element)] = known
        return known

    def in_chrome(self, tag: Tag) -> bool:
        return self.state(tag) >= CHROME

    def in_non_body(self, tag: Tag) -> bool:
        return self.state(tag) >= NON_BODY


@lru_cache(maxsize=8192)
def _key_traits(key: str) -> tuple[bool, bool]:
    """Whether a class/id key names a byline, and a (publication) date element."""
    dated = bool(_DATE_KEY.search(key)) and not _UPDATED_KEY.search(key)
    return bool(_BYLINE_KEY.search(key)), dated


def scan_page(soup: BeautifulSoup) -> PageScan:
    """Walk the whole tree once and return the statistics and collections above."""
    scan = PageScan()
    scan.page_text = _Walker(scan).walk(soup)
    return scan


class _Walker:
    def __init__(self, scan: PageScan) -> None:
        self.scan = scan
        self.counter = 0

    def walk(self, root: Tag) -> int:
        """Post-order over the tree with an explicit stack (pages nest thousands deep)."""
        # A frame: [tag, in_link, children, next index, text, links, commas, direct, has_block]
        stack: list[list[Any]] = [[root, False, root.contents, 0, 0, 0, 0, 0, False]]
        while stack:
            frame = stack[-1]
            children = frame[2]
            if frame[3] < len(children):
                child = children[frame[3]]
                frame[3] += 1
                if isinstance(child, Tag):
                    if self._enter(child):
                        in_link = frame[1] or child.name == "a"
                        stack.append([child, in_link, child.contents, 0, 0, 0, 0, 0, False])
                elif type(child) is NavigableString:
                    self._string(child, frame)
                continue
            stack.pop()
            tag, in_link, _, _, text, links, commas, direct, has_block = frame
            if in_link:
                links = text
            key_id = id(tag)
            self.scan.text_len[key_id] = text
            self.scan.link_len[key_id] = links
            if text >= 25:
                self._score(tag, text, commas, direct, has_block)
            if stack:
                parent = stack[-1]
                parent[4] += text
                parent[5] += links
                parent[6] += commas
                if tag.name in BLOCK_TAGS:
                    parent[8] = True
                else:
                    parent[7] += text
            else:
                return text
        return 0

    def _enter(self, child: Tag) -> bool:
        """Record what the cascade needs from one element; False when not to descend."""
        scan = self.scan
        name = child.name
        if name in SKIP_TAGS:
            if name == "head":
                self._head(child)
            return False
        self.counter += 1
        key_id = id(child)
        scan.order[key_id] = self.counter
        if name == "meta":
            scan.metas.append(child)
            return False
        if name == "link":
            scan.links.append(child)
            return False
        if name == "img":
            scan.images.append(child)
            return False
        if name == "title" and scan.title is None:
            scan.title = child.get_text()
            return False
        key = attr_key(child) if child.attrs else ""
        if key:
            flag = flag_of(child, key)
            byline, dated = _key_traits(key)
            if byline:
                scan.bylines.append(child)
            if dated:
                scan.date_elements.append(child)
        else:
            flag = flag_of(child, key) if child.attrs or flagged_by_name(name) else 0
        if flag:
            scan.own_flags[key_id] = flag
        if child.attrs:
            if child.get("itemprop") == "author" or "author" in str(child.get("rel") or "").split():
                scan.bylines.append(child)
            if child.get("itemprop") in _DATE_PROPS or child.get("property") in _DATE_PROPS:
                scan.date_props.append(child)
        if name == "a":
            if child.get("href"):
                scan.anchors.append(child)
        elif name == "time":
            scan.times.append(child)
        elif name in ("h1", "h2", "h3"):
            scan.headings.append(child)
        elif name in ("h4", "h5", "h6"):
            scan.minor_headings.append(child)
        return True

    def _string(self, string: NavigableString, frame: list[Any]) -> None:
        stripped = string.strip()
        if not stripped:
            return
        n = len(stripped)
        frame[4] += n
        frame[7] += n
        frame[6] += len(_COMMAS.findall(stripped))
        if _LABEL_HINT.search(stripped) if n < 300 else _DATE_HEAD.search(stripped, 0, 30):
            self.scan.label_strings.append(string)

    def _score(self, tag: Tag, text: int, commas: int, direct: int, has_block: bool) -> None:
        name = tag.name
        if name in _PARAGRAPH_TAGS or (name in _TEXT_BLOCKS and not has_block):
            score = 1 + commas + min(text / 100, 3)
            parent = tag.parent
            self._add(parent, score)
            if parent is not None:
                self._add(parent.parent, score / 2)
        elif direct >= 50 and name in ("div", "section", "td", "article", "main", "body"):
            self._add(tag, 1 + min(direct / 100, 3) + commas / 2)

    def _add(self, tag: Tag | None, score: float) -> None:
        if tag is None or tag.name in ("html", "[document]"):
            return
        key = id(tag)
        self.scan.scores[key] = self.scan.scores.get(key, 0.0) + score
        self.scan.candidates[key] = tag

    def _head(self, head: Tag) -> None:
        scan = self.scan
        for child in head.descendants:
            if not isinstance(child, Tag):
                continue
            if child.name == "meta":
                scan.metas.append(child)
            elif child.name == "link":
                scan.links.append(child)
            elif child.name == "base" and scan.base is None:
                scan.base = child
            elif child.name == "title" and scan.title is None:
                scan.title = child.get_text()
