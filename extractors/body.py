"""The article body: choose the content container by text density, then read its paragraphs.

Container: the best readability-style score from :mod:`pressroom.extractors.scan` (paragraph text
and
commas, weighted by class names, discounted by link density), outside chrome and furniture;
widened to the ancestor shared with other strong or same-class candidates (live blogs, bodies
cut into blocks between ads), then to the parent while it holds nearly as much, plus siblings
that score well.

Paragraphs: every block of inline text is one paragraph (``<p>``, ``<br>``-separated lines, each
list item); a data table gives one paragraph per row, cells joined by " | "; non-body furniture,
link lists, captions and boilerplate lines are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from bs4 import NavigableString, Tag

from pressroom.extractors.boilerplate import (
    BLOCK_TAGS,
    SKIP_TAGS,
    attr_key,
    is_boilerplate_line,
    positive_weight,
)
from pressroom.extractors.scan import PageScan

__all__ = ["collect_paragraphs", "drop_headline", "find_container", "normalize_space"]

_SPACE = re.compile(r"[\s\u200b\ufeff]+")  # \s covers ideographic and no-break spaces
_EDGE = "\t\n\r\x0b\x0c \xa0\u3000\u200b\ufeff"
_RIVALS = 4
_LINK_LISTS = frozenset({"ul", "ol", "div", "section", "table", "dl", "nav", "p"})
_LAYOUT_IN_TABLE = BLOCK_TAGS - {"p", "br", "span", "tr", "td", "th", "thead", "tbody", "tfoot",
                                  "caption"}  # fmt: skip


def normalize_space(text: str) -> str:
    """Collapse whitespace runs to one space and trim; a lone no-break space is kept as written."""
    return _SPACE.sub(_one_space, text).strip(_EDGE)


def _one_space(match: re.Match[str]) -> str:
    return "\xa0" if match.group() == "\xa0" else " "


def find_container(scan: PageScan) -> list[Tag]:
    """The element(s) holding the article text, in page order; empty when nothing scores."""
    if not scan.candidates:
        return []
    final: dict[int, float] = {}
    for key, tag in scan.candidates.items():
        if scan.in_non_body(tag):
            continue
        weight = positive_weight(attr_key(tag)) if tag.attrs else 0
        final[key] = (scan.scores[key] + weight) * (1 - scan.link_density(tag))
    if not final:
        return []
    top_key = max(final, key=final.__getitem__)
    top = scan.candidates[top_key]
    top_score = final[top_key]
    top = _shared_ancestor(top, top_score, final, scan)
    # Climb while the parent holds nearly as much: bodies split over sibling blocks.
    parent = top.parent
    while (
        isinstance(parent, Tag)
        and parent.name not in ("body", "html", "[document]")
        and final.get(id(parent), 0.0) >= 0.75 * top_score
    ):
        top, top_score = parent, max(top_score, final[id(parent)])
        parent = top.parent
    while (
        isinstance(top.parent, Tag)
        and top.parent.name not in ("body", "html", "[document]")
        and scan.text_len.get(id(top.parent), 0) == scan.text_len.get(id(top), 0)
    ):
        top = top.parent  # only child: its parent is the same content with its siblings
    return _with_siblings(top, top_score, final, scan)


def _shared_ancestor(top: Tag, top_score: float, final: dict[int, float], scan: PageScan) -> Tag:
    """The container of a body cut into many blocks: two more strong candidates under one of
    ``top``'s ancestors, either near-top scorers or blocks of ``top``'s own class (live-blog
    posts, "article-body-text" chunks between ads)."""
    ranked = sorted(final.items(), key=lambda item: -item[1])[1 : _RIVALS + 1]
    rivals = [scan.candidates[key] for key, score in ranked if score >= 0.75 * top_score]
    if len(rivals) < 2 and top.get("class"):
        rivals = [
            scan.candidates[key]
            for key, score in final.items()
            if score >= 0.2 * top_score
            and scan.candidates[key] is not top
            and scan.candidates[key].name == top.name
            and scan.candidates[key].get("class") == top.get("class")
        ]
    if len(rivals) < 2:
        return top
    lineages = [_ancestor_ids(rival) for rival in rivals]
    node = top.parent
    while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
        if sum(id(node) in lineage for lineage in lineages) >= 2:
            return node
        node = node.parent
    return top


def _ancestor_ids(tag: Tag) -> set[int]:
    found = set()
    node = tag.parent
    while node is not None:
        found.add(id(node))
        node = node.parent
    return found


def _with_siblings(
    top: Tag, top_score: float, final: dict[int, float], scan: PageScan
) -> list[Tag]:
    parent = top.parent
    if not isinstance(parent, Tag):
        return [top]
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    chosen: list[Tag] = []
    for sibling in parent.children:
        if not isinstance(sibling, Tag):
            continue
        if sibling is top:
            chosen.append(sibling)
            continue
        key = id(sibling)
        if sibling.name in SKIP_TAGS or scan.in_non_body(sibling):
            continue
        bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
        if final.get(key, 0.0) + bonus >= threshold:
            chosen.append(sibling)
        elif sibling.name == "p":
            length = scan.text_len.get(key, 0)
            density = scan.link_density(sibling)
            text = sibling.get_text() if length else ""
            if (length > 80 and density < 0.25) or (
                0 < length <= 80 and density == 0 and re.search(r"[.。!?！？]\s*$", text)
            ):
                chosen.append(sibling)
    return chosen


def collect_paragraphs(
    roots: Iterable[Tag], scan: PageScan, *, skip: set[int] | None = None, min_flag: int = 1
) -> list[str]:
    """The paragraphs inside ``roots``, without furniture; ``skip`` holds extra element ids.

    Elements flagged ``min_flag`` or more are left out: furniture and chrome by default, chrome
    only with ``min_flag=CHROME`` (the cascade's last step, :mod:`pressroom.extractors.cascade`).
    """
    collector = _Collector(scan, skip or set(), min_flag)
    for root in roots:
        collector.block(root)
    return collector.paragraphs


class _Collector:
    def __init__(self, scan: PageScan, skip: set[int], min_flag: int) -> None:
        self.scan = scan
        self.skip = skip
        self.min_flag = min_flag
        self.paragraphs: list[str] = []
        self.buffer: list[str] = []
        self.link_chars = 0

    def block(self, root: Tag) -> None:
        """Emit the paragraphs of ``root``; an explicit stack, as pages nest thousands deep."""
        # Each entry: (children, next index, in_link, is_block); a block flushes on both ends.
        self.flush()
        stack: list[list[Any]] = [[root.contents, 0, False, True]]
        if root.name == "table" and self._is_data_table(root):
            self._table(root)
            stack = []
        while stack:
            frame = stack[-1]
            children, index, in_link, _ = frame
            if index >= len(children):
                stack.pop()
                if frame[3]:
                    self.flush()
                continue
            frame[1] += 1
            child = children[index]
            if type(child) is NavigableString:
                self.buffer.append(child)
                if in_link:
                    self.link_chars += len(child.strip())
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in SKIP_TAGS or id(child) in self.skip:
                continue
            if self.scan.flag(child) >= self.min_flag:
                continue
            if name == "br":
                self.flush()
            elif name not in BLOCK_TAGS:
                stack.append([child.contents, 0, in_link or name == "a", False])
            elif not self._is_link_list(child):
                self.flush()
                if name == "table" and self._is_data_table(child):
                    self._table(child)
                else:
                    stack.append([child.contents, 0, False, True])

    def _is_link_list(self, tag: Tag) -> bool:
        return (
            tag.name in _LINK_LISTS
            and self.scan.text_len.get(id(tag), 0) > 0
            and self.scan.link_density(tag) > 0.55
        )

    def flush(self) -> None:
        if not self.buffer:
            return
        text = normalize_space("".join(self.buffer))
        links, self.link_chars = self.link_chars, 0
        self.buffer = []
        if not text or is_boilerplate_line(text):
            return
        if links and links >= 0.7 * len(text.replace(" ", "")):
            return
        self.paragraphs.append(text)

    def _is_data_table(self, table: Tag) -> bool:
        """Rows of short cells, no nested tables or blocks: data, not page layout."""
        rows = 0
        for tag in _tags_below(table):
            name = tag.name
            if name == "tr":
                rows += 1
            elif name in ("td", "th"):
                if self.scan.text_len.get(id(tag), 0) > 250:
                    return False
            elif name in _LAYOUT_IN_TABLE:
                return False
        return rows > 0

    def _table(self, table: Tag) -> None:
        for row in _tags_below(table):
            if row.name != "tr" or self.scan.flag(row) >= self.min_flag:
                continue
            cells = [
                normalize_space(cell.get_text(" "))
                for cell in row.children
                if isinstance(cell, Tag) and cell.name in ("td", "th")
            ]
            line = " | ".join(c for c in cells if c)
            if line:
                self.paragraphs.append(line)


def _tags_below(tag: Tag) -> Iterator[Tag]:
    """Descendant elements in page order (cheaper than ``find_all``'s filter machinery)."""
    return (node for node in tag.descendants if isinstance(node, Tag))


def drop_headline(paragraphs: list[str], title: str | None) -> list[str]:
    """Remove a leading copy of the headline (when the container also holds the ``<h1>``)."""
    if not title:
        return paragraphs
    return [p for i, p in enumerate(paragraphs) if not (i < 3 and p == title)]
