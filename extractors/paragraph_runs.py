"""Runs of paragraph-like sibling blocks: the page's running text, wherever its container is.

A run is a sequence of sibling blocks that each read as a paragraph (a ``p``, ``pre`` or
``blockquote``, or a text block of 80 characters or more holding no inner blocks; a wrapper
around one paragraph is that paragraph), outside chrome and not mostly links. Headings,
figures, lists and line breaks between paragraphs do not break a run; any other block does.
The body cascade (:mod:`pressroom.extractors.cascade`) measures bodies against the longest run
and falls back to it.
"""

from __future__ import annotations

from bs4 import Tag

from pressroom.extractors.boilerplate import CHROME, SKIP_TAGS
from pressroom.extractors.scan import PageScan

__all__ = ["LINKY", "paragraph_runs"]

LINKY = 0.5  # a block with more than this share of link text is links, not running text
_PARAGRAPH_LIKE = frozenset({"p", "pre", "blockquote"})
_TEXT_BLOCKS = frozenset({"div", "section", "span", "font"})
_TRANSPARENT = frozenset(
    {"br", "hr", "img", "figure", "picture", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "table"}
)  # fmt: skip
_INNER_BLOCKS = frozenset({"div", "p", "section", "article", "ul", "ol", "table", "li"})


def paragraph_runs(scan: PageScan) -> list[tuple[int, list[Tag]]]:
    """Runs of paragraph-like sibling blocks outside chrome, longest (in plain text) first.

    Headings, figures, lists and line breaks between paragraphs do not break a run; any other
    block does.
    """
    runs: list[tuple[int, list[Tag]]] = []
    seen: set[int] = set()
    parents = list(scan.candidates.values())  # scored blocks' parents, and text blocks' own
    parents += [t.parent for t in parents if isinstance(t.parent, Tag)]
    for parent in parents:
        key = id(parent)
        if key in seen or scan.in_chrome(parent):
            continue
        seen.add(key)
        run: list[Tag] = []
        length = 0
        for child in parent.children:
            if not isinstance(child, Tag) or child.name in SKIP_TAGS:
                continue
            text = scan.text_len.get(id(child), 0)
            if _paragraph_like(child, text, scan):
                run.append(child)
                length += text - scan.link_len.get(id(child), 0)
            elif text == 0 or (child.name in _TRANSPARENT and run):
                if run and text:
                    run.append(child)
            elif run:
                runs.append((length, run))
                run, length = [], 0
        if run:
            runs.append((length, run))
    runs.sort(key=lambda item: -item[0])
    return runs


def _paragraph_like(tag: Tag, text: int, scan: PageScan) -> bool:
    if text < 25 or scan.flag(tag) >= CHROME or scan.link_density(tag) >= LINKY:
        return False
    while tag.name in _TEXT_BLOCKS:  # a wrapper around one paragraph is that paragraph
        inner = [c for c in tag.children if isinstance(c, Tag)]
        if len(inner) != 1 or scan.text_len.get(id(inner[0]), 0) != text:
            break
        tag = inner[0]
    if tag.name in _PARAGRAPH_LIKE:
        return True
    if tag.name not in _TEXT_BLOCKS or text < 80:
        return False
    return not any(isinstance(c, Tag) and c.name in _INNER_BLOCKS for c in tag.children)
