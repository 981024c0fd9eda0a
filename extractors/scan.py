"""One pass over the parsed page that everything else reads from.

The walk visits every element once (post-order) and records:

* per element: text length, text length inside links, comma count, and whether it sits in
  chrome or in non-body furniture (see :mod:`extractors.boilerplate`);
* readability-style content scores: each paragraph-like block adds ``1 + commas + len/100``
  (capped) to its parent and half to its grandparent;
* the elements the metadata cascade needs: ``<meta>``, ``<link>``, ``<time>``, headings, images,
  attachment candidates (``<a href>``), and short text strings outside chrome that may carry a
  label ("发布时间：", "Posted on:", "Source:"), and byline elements (class ``author``/``byline``,
  ``rel=author``, ``itemprop=author``) outside chrome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from extractors.boilerplate import BLOCK_TAGS, SKIP_TAGS, attr_key, is_chrome, is_non_body

__all__ = ["PageScan", "scan_page"]

_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "li", "dd"})
_COMMAS = re.compile(r"[,，、。；]")
_BYLINE_KEY = re.compile(
    r"(?:^|[\s_-])(?:author|authors|byline|byl|author-name|writer)(?:$|[\s_-])"
)
_LABEL_HINT = re.compile(r"[:：]|\b(?:by|posted|published|updated|on)\b|\d{4}|年", re.I)


@dataclass
class PageScan:
    """What the walk found; element keys are ``id(tag)``."""

    text_len: dict[int, int] = field(default_factory=dict)
    link_len: dict[int, int] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    candidates: dict[int, Tag] = field(default_factory=dict)
    chrome: set[int] = field(default_factory=set)
    non_body: set[int] = field(default_factory=set)
    metas: list[Tag] = field(default_factory=list)
    links: list[Tag] = field(default_factory=list)
    times: list[tuple[Tag, bool]] = field(default_factory=list)
    headings: list[tuple[Tag, bool]] = field(default_factory=list)
    anchors: list[tuple[Tag, bool]] = field(default_factory=list)
    images: list[Tag] = field(default_factory=list)
    bylines: list[Tag] = field(default_factory=list)
    label_strings: list[NavigableString] = field(default_factory=list)
    order: dict[int, int] = field(default_factory=dict)
    title: str | None = None

    def link_density(self, tag: Tag) -> float:
        total = self.text_len.get(id(tag), 0)
        return self.link_len.get(id(tag), 0) / total if total else 0.0


def scan_page(soup: BeautifulSoup) -> PageScan:
    """Walk the whole tree once and return the statistics and collections above."""
    scan = PageScan()
    _Walker(scan).walk(soup, chrome=False, non_body=False, in_link=False)
    return scan


class _Walker:
    def __init__(self, scan: PageScan) -> None:
        self.scan = scan
        self.counter = 0

    def walk(
        self, tag: Tag, *, chrome: bool, non_body: bool, in_link: bool
    ) -> tuple[int, int, int]:
        scan = self.scan
        text = links = commas = 0
        direct = 0
        has_block = False
        for child in tag.contents:
            if isinstance(child, Tag):
                name = child.name
                if name in SKIP_TAGS:
                    if name == "head":
                        self._head(child)
                    continue
                self.counter += 1
                scan.order[id(child)] = self.counter
                key = attr_key(child) if child.attrs else ""
                c_chrome = chrome or is_chrome(child, key)
                c_non_body = non_body or c_chrome or is_non_body(child, key)
                if c_chrome and not chrome:
                    scan.chrome.add(id(child))
                if c_non_body:
                    scan.non_body.add(id(child))
                if name == "meta":
                    scan.metas.append(child)
                    continue
                if (
                    not c_chrome
                    and key
                    and (
                        _BYLINE_KEY.search(key)
                        or child.get("itemprop") == "author"
                        or "author" in (child.get("rel") or ())
                    )
                ):
                    scan.bylines.append(child)
                if name == "link":
                    scan.links.append(child)
                    continue
                if name == "img":
                    if not c_non_body:
                        scan.images.append(child)
                    continue
                if name == "title" and scan.title is None:
                    scan.title = child.get_text()
                    continue
                is_link = name == "a"
                if is_link and child.get("href"):
                    scan.anchors.append((child, c_chrome))
                elif name == "time":
                    scan.times.append((child, c_chrome))
                elif name in ("h1", "h2", "h3"):
                    scan.headings.append((child, c_chrome))
                t, lk, cm = self.walk(child, chrome=c_chrome, non_body=c_non_body,
                                      in_link=in_link or is_link)  # fmt: skip
                text += t
                links += lk
                commas += cm
                if name in BLOCK_TAGS:
                    has_block = True
                else:
                    direct += t
            elif type(child) is NavigableString:
                stripped = child.strip()
                if not stripped:
                    continue
                n = len(stripped)
                text += n
                direct += n
                if in_link:
                    links += n
                commas += len(_COMMAS.findall(stripped))
                if not chrome and n < 300 and _LABEL_HINT.search(stripped):
                    scan.label_strings.append(child)
        if tag.name == "a" or in_link:
            links = text
        key = id(tag)
        scan.text_len[key] = text
        scan.link_len[key] = links
        if not non_body and text >= 25:
            self._score(tag, text, commas, direct, has_block)
        return text, links, commas

    def _score(self, tag: Tag, text: int, commas: int, direct: int, has_block: bool) -> None:
        name = tag.name
        if name in _PARAGRAPH_TAGS or (
            name in ("div", "section", "span", "font") and not has_block
        ):
            score = 1 + commas + min(text / 100, 3)
            self._add(tag.parent, score)
            if tag.parent is not None:
                self._add(tag.parent.parent, score / 2)
        elif direct >= 50 and name in ("div", "section", "td", "article", "main", "body"):
            self._add(tag, 1 + min(direct / 100, 3) + commas / 2)

    def _add(self, tag: Tag | None, score: float) -> None:
        if tag is None or not isinstance(tag, Tag) or tag.name in ("html", "[document]"):
            return
        key = id(tag)
        if key in self.scan.non_body:
            return
        self.scan.scores[key] = self.scan.scores.get(key, 0.0) + score
        self.scan.candidates[key] = tag

    def _head(self, head: Tag) -> None:
        for child in head.find_all(("meta", "link", "title")):
            if child.name == "meta":
                self.scan.metas.append(child)
            elif child.name == "link":
                self.scan.links.append(child)
            elif self.scan.title is None:
                self.scan.title = child.get_text()
