"""The markup an article page is parsed from, cut down with regexes before the parse.

Scripts, styles, comments and other never-rendered blocks go (JSON-LD is read from the raw
text first); ``<nav>`` blocks go unless they hold what could be the article; whitespace right
after a block-level tag goes. :func:`clean_markup` does all three, in that order.
"""

from __future__ import annotations

import re

__all__ = ["BLOCK_WHITESPACE", "STRIP", "clean_markup"]

STRIP = re.compile(
    r"<(script|style|noscript|template|svg|textarea|select)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
    re.I | re.S,
)
# Whitespace right after a block-level tag is never rendered: dropping it before the parse spares
# BeautifulSoup a third of its string nodes.
BLOCK_WHITESPACE = re.compile(
    r"(</?(?:div|p|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|section|article|header"
    r"|footer|nav|aside|main|h[1-6]|head|body|html|meta|link|title|br|hr|figure|form|iframe"
    r"|picture|source|img|input|button|label)\b[^>]*>)\s+(?=<)",
    re.I,
)
# A <nav> block is menus and links (a fifth of the tags of a news page): it never holds the
# headline, the date, the byline or the body, so it leaves before the parse, unless it holds
# what could be the article (a page that wraps its content in <nav>) or another <nav>.
_NAV = re.compile(r"<nav\b[^>]*>.*?</nav\s*>", re.I | re.S)
_NAV_KEEPS = re.compile(r"<(?:nav|article|main|h1|p)[\s>]", re.I)


def _drop_nav(match: re.Match[str]) -> str:
    block = match.group(0)
    return block if _NAV_KEEPS.search(block, 4) else " "


def clean_markup(html: str) -> str:
    """``html`` without scripts, styles, comments and menu-only ``<nav>`` blocks, and without
    the whitespace after block-level tags: what the article's BeautifulSoup parse reads."""
    return BLOCK_WHITESPACE.sub(r"\1", _NAV.sub(_drop_nav, STRIP.sub(" ", html)))
