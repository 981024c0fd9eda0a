"""The rows of a listing's article links: each link's row, the date printed in it, the template.

A link's row is the highest ancestor holding no other article link (or, with a template, the
ancestor ``row_depth`` levels up). The row's date text is kept unparsed until the page's date
order is decided (:mod:`pressroom.extractors.date_order`); then each link gets its date, flagged
``date_uncertain`` when only a weak rung decided and the other order reads another day. From the
rows of a page read generically, :func:`learn_template` draws the source's
:class:`pressroom.core.articles.ListTemplate`: the row depth and where the date sits in a row.
"""

from __future__ import annotations

from collections import Counter

from bs4 import Tag

from pressroom.core.articles import DateOrder, DateOrderDecision, ListingLink, ListTemplate
from pressroom.extractors.dates import parse_date
from pressroom.extractors.listing_anchors import Signature, path_step, tag_text

__all__ = ["candidates_below", "date_near", "dated_link", "learn_template", "row_at", "row_of"]

_MAX_CHROME = 12
_DATE_SAMPLE = 12
"""Rows whose date element is looked for when a template is learned (the rest are alike)."""


def candidates_below(anchors: list[Tag]) -> dict[int, int]:
    """For every ancestor of the candidate ``anchors``: how many of them it contains."""
    below: dict[int, int] = {}
    for anchor in anchors:
        for parent in anchor.parents:
            below[id(parent)] = below.get(id(parent), 0) + 1
    return below


def row_of(anchor: Tag, below: dict[int, int]) -> Tag:
    """The highest ancestor of ``anchor`` that contains no other candidate anchor
    (``below``: :func:`candidates_below` of the candidates)."""
    row: Tag = anchor
    for parent in anchor.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            break
        if below.get(id(parent), 0) > 1:
            break
        row = parent
    return row


def row_at(anchor: Tag, depth: int) -> Tag:
    """The ancestor ``depth`` levels above ``anchor`` (a template's row), or the highest one."""
    row = anchor
    for _ in range(depth):
        if not isinstance(row.parent, Tag) or row.parent.name in ("body", "html", "[document]"):
            break
        row = row.parent
    return row


def date_near(
    anchor: Tag, row: Tag, tz: str, date_path: tuple[str, ...] | None = None
) -> str | None:
    """The text of the first date in the link's row (where the template's ``date_path`` says,
    else a ``<time>`` first), unparsed: the page's date order is decided once all rows are read
    (:func:`dated_link`)."""
    if date_path:
        for node in _at_path(row, date_path):
            value = str(node.get("datetime") or tag_text(node))
            if parse_date(value, timezone=tz):
                return value
    for time_tag in row.find_all("time"):
        value = str(time_tag.get("datetime") or tag_text(time_tag))
        if parse_date(value, timezone=tz):
            return value
    anchor_text = tag_text(anchor)
    row_text = tag_text(row)
    outside = row_text.replace(anchor_text, " ", 1) if anchor_text else row_text
    return outside if parse_date(outside, timezone=tz) else None


def dated_link(
    url: str, title: str | None, when: str | None, tz: str, decision: DateOrderDecision
) -> ListingLink:
    """The link with its date read in the page's order; uncertain when the other order reads
    another day and only a weak rung (language, time zone) decided."""
    if when is None:
        return ListingLink(url=url, title=title)
    published = parse_date(when, timezone=tz, date_order=decision.order)
    other = parse_date(when, timezone=tz, date_order="MDY" if decision.order == "DMY" else "DMY")
    uncertain = not decision.certain and published != other
    return ListingLink(url=url, title=title, published_at=published, date_uncertain=uncertain)


def _depth(anchor: Tag, row: Tag) -> int:
    depth, node = 0, anchor
    while node is not row and isinstance(node.parent, Tag):
        node, depth = node.parent, depth + 1
    return depth


def _date_element(anchor: Tag, row: Tag, tz: str, order: DateOrder) -> tuple[str, ...] | None:
    """The path from ``row`` to the smallest element outside ``anchor`` that holds a date."""
    if anchor is row:
        return None
    skip = {id(t) for t in anchor.find_all(True)} | {id(anchor)} | {id(p) for p in anchor.parents}
    best: Tag | None = None
    for node in row.find_all(True):
        if id(node) in skip:
            continue
        text = str(node.get("datetime") or "") or tag_text(node)
        if not text or len(text) > 60:
            continue
        if parse_date(text, timezone=tz, date_order=order) is not None:
            best = node
            break
    if best is None:
        return None
    path: list[str] = []
    node = best
    while node is not row and isinstance(node, Tag):
        path.append(path_step(node))
        node = node.parent  # type: ignore[assignment]
    return tuple(reversed(path))


def _at_path(row: Tag, path: tuple[str, ...]) -> list[Tag]:
    """The elements below ``row`` reached by following ``path`` one child step at a time."""
    level = [row]
    for step in path:
        level = [
            c
            for node in level
            for c in node.children
            if isinstance(c, Tag) and path_step(c) == step
        ]
    return level


def learn_template(
    signature: Signature,
    rows: list[tuple[Tag, Tag]],
    tz: str,
    order: DateOrder,
    chrome: tuple[Signature, ...] = (),
) -> ListTemplate:
    """The template of the rows ``(anchor, row)`` of one signature; ``chrome``: the page's other
    link blocks."""
    depths = Counter(_depth(anchor, row) for anchor, row in rows)
    sample = rows[:_DATE_SAMPLE]
    paths = Counter(_date_element(anchor, row, tz, order) for anchor, row in sample)
    date_path, count = paths.most_common(1)[0] if paths else (None, 0)
    if date_path is not None and count * 2 < len(sample):
        date_path = None
    chrome = tuple(dict.fromkeys(c for c in chrome if c != signature))[:_MAX_CHROME]
    return ListTemplate(signature, depths.most_common(1)[0][0], date_path, chrome)
