"""The row template of a source's article list, learned from its first listing pages.

A newsroom prints its article list the same way on every listing page: the same rows, the same
place for the date in a row. :class:`ListTemplate` keeps that shape so that every later page
(a short last page, a page where a sidebar box has more links) is read the same way, instead
of the list being guessed again page by page.

* ``signature``: the structural path (tag and class names from the root) of the article
  anchors, as :func:`extractors.listing` computes it;
* ``row_depth``: how many levels the row sits above its anchor (0: the anchor is the row);
* ``date_path``: where the date sits in a row, as a path of tag and class names from the row
  (``("p.meta",)``; ``()`` is the row itself; None when the rows show no date);
* ``chrome``: signatures of the other link blocks of the learning page (sidebar boxes, "have
  your say" lists): when the template must be learned again, those are not the list.

A page matches a template when some of its anchors have the signature, or (a wrapper changed
above the list) the same last ``row_depth + 2`` steps: the list container, the row and the path
down to the anchor. Pure data: no parsing here, and the JSON form is stable (sorted keys).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["TEMPLATE_VERSION", "ListTemplate", "matches"]

TEMPLATE_VERSION = 1


@dataclass(frozen=True)
class ListTemplate:
    """Where a source's article list sits on its listing pages; see the module docstring."""

    signature: tuple[str, ...]
    row_depth: int = 0
    date_path: tuple[str, ...] | None = None
    chrome: tuple[tuple[str, ...], ...] = ()

    @property
    def tail(self) -> tuple[str, ...]:
        """The last steps of the signature: list container, row, path down to the anchor."""
        return self.signature[-(self.row_depth + 2) :]

    def to_json(self) -> str:
        """The template as a JSON object (sorted keys)."""
        data: dict[str, Any] = {
            "version": TEMPLATE_VERSION,
            "signature": list(self.signature),
            "row_depth": self.row_depth,
            "date_path": None if self.date_path is None else list(self.date_path),
            "chrome": [list(sig) for sig in self.chrome],
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ListTemplate:
        """The template written by :meth:`to_json`; ValueError when it is not one."""
        try:
            data = json.loads(text)
            signature = tuple(str(step) for step in data["signature"])
            date_path = data.get("date_path")
            return cls(
                signature=signature,
                row_depth=int(data.get("row_depth", 0)),
                date_path=None if date_path is None else tuple(str(s) for s in date_path),
                chrome=tuple(tuple(str(s) for s in sig) for sig in data.get("chrome", [])),
            )
        except (TypeError, KeyError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a list template: {text[:80]!r}") from exc


def matches(template: ListTemplate, signature: Sequence[str], *, exact: bool = True) -> bool:
    """True when an anchor with ``signature`` is a row link of ``template`` (exactly, or by its
    tail when ``exact`` is false)."""
    if exact:
        return tuple(signature) == template.signature
    tail = template.tail
    return len(signature) >= len(tail) and tuple(signature[-len(tail) :]) == tail
