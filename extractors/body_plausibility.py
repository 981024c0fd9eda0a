"""Is a body plausible? The tests the body cascade measures a candidate body with.

A body is implausible when it is empty, mostly links, far shorter than the page's largest run
of running text (:mod:`pressroom.extractors.paragraph_runs`), or misses the opening of a long
JSON-LD ``articleBody`` or description that the page shows. Openings are word windows from the
start of those texts; the JSON-LD body agrees with the page when the page shows its opening, or
has no running text of its own. :func:`first_choice_problem` says why the density container
alone would fail (for the bench); :mod:`pressroom.extractors.cascade` runs the steps.
"""

from __future__ import annotations

import re

from bs4 import Tag

from pressroom.extractors.metadata import JsonLd
from pressroom.extractors.paragraph_runs import LINKY, paragraph_runs
from pressroom.extractors.scan import PageScan

__all__ = [
    "MIN_BODY",
    "RUN_MIN",
    "agrees",
    "first_choice_problem",
    "implausible",
    "opening_windows",
    "shows",
    "shows_text",
    "text_length",
]

MIN_BODY = 200  # characters: shorter JSON-LD or state text is a teaser, not a body
_SHORT = 3.0  # the largest run this many times longer than the body: the body is implausible
RUN_MIN = 400
_OPENING = 60
_LEDE_MIN = 80  # a description shorter than this is a tagline, not the article's opening
_WORD = re.compile(r"\w+")


def first_choice_problem(
    scan: PageScan,
    containers: list[Tag],
    paragraphs: list[str],
    *,
    ld: JsonLd | None,
    lede: str | None = None,
) -> str | None:
    """Why the density step's body alone would be implausible (``empty``, ``links``, ``short``,
    ``lede``), or None: what the fallback steps are measured against."""
    ld_body = ld.body if ld is not None and ld.body and len(ld.body) >= MIN_BODY else None
    first = tuple(paragraphs)
    return implausible(
        first, containers, scan, paragraph_runs(scan), opening_windows(ld_body, lede)
    )


def text_length(paragraphs: tuple[str, ...] | list[str]) -> int:
    """The characters of ``paragraphs``, all together."""
    return sum(len(p) for p in paragraphs)


def implausible(
    first: tuple[str, ...],
    containers: list[Tag],
    scan: PageScan,
    runs: list[tuple[int, list[Tag]]],
    openings: list[str],
) -> str | None:
    """Why the first body is implausible (``empty``, ``links``, ``short``, ``lede``), or None."""
    if not first:
        return "empty"
    text = sum(scan.text_len.get(id(c), 0) for c in containers)
    links = sum(scan.link_len.get(id(c), 0) for c in containers)
    if text and links > LINKY * text:
        return "links"
    length = text_length(first)
    if runs and runs[0][0] >= RUN_MIN and runs[0][0] > _SHORT * length:
        return "short"
    if openings:
        words = _words(" ".join(first))
        if not any(o in words for o in openings) and any(shows(openings, r[1]) for r in runs):
            return "lede"
    return None


def opening_windows(*texts: str | None) -> list[str]:
    """Word windows from the start of each text (JSON-LD body, description), lowercased: the
    page shows one of them where the article starts ("From Yahoo: A photographer...")."""
    found = []
    for text in texts:
        if not text or len(text) < _LEDE_MIN:
            continue
        words = _WORD.findall(text[: _OPENING * 8].casefold())
        found.append(" ".join(words[:6]))
        if len(words) >= 9:
            found.append(" ".join(words[3:9]))
    return [o for o in found if o]


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text)).casefold()


def shows_text(openings: list[str], text: str) -> bool:
    """True when ``text`` holds one of the ``openings`` (:func:`opening_windows`)."""
    words = _words(text)
    return any(o in words for o in openings)


def shows(openings: list[str], elements: list[Tag]) -> bool:
    """True when the text of one of ``elements`` holds one of the ``openings``."""
    return any(o in _words(e.get_text(" ")) for e in elements for o in openings)


def agrees(ld_body: str, runs: list[tuple[int, list[Tag]]], has_body: bool) -> bool:
    """The JSON-LD body agrees with the page: the page shows its opening, or the page has no
    running text of its own to disagree with (a body rendered by script)."""
    openings = opening_windows(ld_body)
    if any(shows(openings, r[1]) for r in runs):
        return True
    return not has_body and (not runs or runs[0][0] < MIN_BODY)
