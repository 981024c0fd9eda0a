"""The row template of a source's article list, learned from its first listing pages.

A newsroom prints its article list the same way on every listing page: the same rows, the same
place for the date in a row. :class:`ListTemplate` keeps that shape so that every later page
(a short last page, a page where a sidebar box has more links) is read the same way, instead
of the list being guessed again page by page.

* ``signature``: the structural path (tag and class names from the root) of the article
  anchors, as :func:`pressroom.extractors.listing` computes it;
* ``row_depth``: how many levels the row sits above its anchor (0: the anchor is the row);
* ``date_path``: where the date sits in a row, as a path of tag and class names from the row
  (``("p.meta",)``; ``()`` is the row itself; None when the rows show no date);
* ``chrome``: signatures of the other link blocks of the learning page (sidebar boxes, "have
  your say" lists): when the template must be learned again, those are not the list.

A page matches a template when some of its anchors have the signature, or (a wrapper changed
above the list) the same last ``row_depth + 2`` steps: the list container, the row and the path
down to the anchor. The template itself is shared data
(:class:`pressroom.core.articles.ListTemplate`,
its JSON form stable, sorted keys); no parsing here.
"""

from __future__ import annotations

from collections.abc import Sequence

from pressroom.core.articles import ListTemplate

__all__ = ["matches"]


def matches(template: ListTemplate, signature: Sequence[str], *, exact: bool = True) -> bool:
    """True when an anchor with ``signature`` is a row link of ``template`` (exactly, or by its
    tail when ``exact`` is false)."""
    if exact:
        return tuple(signature) == template.signature
    tail = template.tail
    return len(signature) >= len(tail) and tuple(signature[-len(tail) :]) == tail
