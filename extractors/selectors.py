"""Declared CSS selectors: a source's own selectors, or a site module's, override field by field.

A selector that matches nothing (or matches an element without a usable value) leaves the generic
result in place and adds a warning, so a redesign degrades instead of emptying the warehouse.
A matched ``<meta>`` gives its ``content``, a ``<time>`` its ``datetime``; any other element its
text, with a leading label such as "来源：" or "Source:" removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

import soupsieve
from bs4 import BeautifulSoup, Tag

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors.body import normalize_space
from pressroom.extractors.sites import SITES

__all__ = ["FIELDS", "Declared", "declared_selectors", "first_value", "select_all"]

FIELDS = ("title", "date", "body", "author", "origin")
_LEADING_LABEL = re.compile(r"^[^:：]{1,16}[:：]\s*")


@dataclass(frozen=True)
class Declared:
    """One declared selector: the CSS and the rule name it records (``selector``/``site:x``)."""

    css: str
    rule: str


def declared_selectors(profile: ExtractionProfile) -> tuple[dict[str, Declared], list[str]]:
    """Per field, the profile's selector, else the site module's; plus warnings."""
    warnings: list[str] = []
    module: ModuleType | None = None
    if profile.site_module:
        module = SITES.get(profile.site_module)
        if module is None:
            warnings.append(f"unknown site module {profile.site_module!r}; using generic rules")
    chosen: dict[str, Declared] = {}
    for name in FIELDS:
        own = getattr(profile, f"{name}_selector", None)
        if own:
            chosen[name] = Declared(own, "selector")
        elif module is not None and getattr(module, f"{name.upper()}_SELECTOR", None):
            chosen[name] = Declared(
                getattr(module, f"{name.upper()}_SELECTOR"), f"site:{profile.site_module}"
            )
    return chosen, warnings


def select_all(soup: BeautifulSoup, declared: dict[str, Declared]) -> dict[str, list[Tag]]:
    """Per field, the elements its selector matches, in page order, from ONE pass over the tree.

    soupsieve walks the whole tree per ``select`` call; the union of the declared selectors is
    selected once and each match is sorted to its fields with the (cheap) compiled ``match``.
    An invalid selector matches nothing (config validation rejects them earlier).
    """
    compiled = {}
    for name, item in declared.items():
        try:
            compiled[name] = _compile(item.css)
        except Exception:  # SelectorSyntaxError and friends
            continue
    found: dict[str, list[Tag]] = {name: [] for name in declared}
    if not compiled:
        return found
    union = _compile(", ".join(declared[name].css for name in compiled))
    for tag in union.select(soup):
        for name, pattern in compiled.items():
            if pattern.match(tag):
                found[name].append(tag)
    return found


@lru_cache(maxsize=512)
def _compile(css: str) -> soupsieve.SoupSieve:
    return soupsieve.compile(css)


def first_value(tags: list[Tag], *, strip_label: bool = False) -> str | None:
    """The first non-empty value among the matched elements (see the module docstring)."""
    for tag in tags:
        raw = tag.get("content") if tag.name == "meta" else None
        if raw is None and tag.name == "time":
            raw = tag.get("datetime") or None
        text = normalize_space(raw if isinstance(raw, str) else tag.get_text(" "))
        if strip_label:
            text = _LEADING_LABEL.sub("", text).strip()
        if text:
            return text
    return None
