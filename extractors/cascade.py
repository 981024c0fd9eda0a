"""The body cascade: the first source that gives a plausible article body wins.

Steps, each named in ``record.rules["paragraphs"]`` when it gives the body:

1. ``selector`` / ``site:<module>``: a declared body selector (trusted as it is);
2. ``density``: the text-density container (:func:`pressroom.extractors.body.find_container`);
3. ``second-choice``: when the first is implausible, the block that shows the lede, else the
   best density candidate outside the first;
4. ``json-ld``: the JSON-LD ``articleBody``, when long and agreeing with the page text;
5. ``page-state``: article text in a script's state blob (:mod:`pressroom.extractors.page_state`);
6. ``paragraph-run``: the largest run of paragraph-like sibling blocks outside chrome
   (furniture flags from class names are ignored here: only chrome is left out).

A body is implausible when it is empty, mostly links, far shorter than the page's largest run
of running text, or misses the opening of a long JSON-LD ``articleBody`` or description that
the page shows (a standfirst above the body then opens it: rule ``density+lede``). A plausible
body that is one block of the page's longest run (text blocks cut by headings) grows to the run,
and one of several sibling sections of one tag and class grows to all of them (both
``paragraph-run``).
A later step replaces an implausible body only with one at least twice as long (or any, when
the body is empty). With no body at all, the warning names every step tried.

The plausibility tests are :mod:`pressroom.extractors.body_plausibility`; the runs of
paragraphs, :mod:`pressroom.extractors.paragraph_runs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bs4 import Tag

from pressroom.extractors.body import collect_paragraphs, drop_headline, normalize_space
from pressroom.extractors.body_plausibility import (
    MIN_BODY,
    RUN_MIN,
    agrees,
    implausible,
    opening_windows,
    shows,
    shows_text,
    text_length,
)
from pressroom.extractors.boilerplate import CHROME, attr_key, positive_weight
from pressroom.extractors.metadata import JsonLd
from pressroom.extractors.page_state import state_paragraphs
from pressroom.extractors.paragraph_runs import LINKY, paragraph_runs
from pressroom.extractors.scan import PageScan

__all__ = ["Body", "choose_body"]

_REPLACE = 0.3  # the block showing the lede replaces a body at most this many times longer
_SPLIT = 1.5  # a run this much longer than its one block is the body cut by headings
_RIVALS = 3
_SECTION_DEPTH = 3  # the container and at most two wrappers that add little text
_SECTION_MIN = 200  # characters: a shorter sibling section is a teaser or a caption
_SECTION_LINKY = 0.3
_WRAPPER = 1.15
_SECTION_GROW = 1.2  # the other sections add a fifth at least
_LISTS = frozenset({"ul", "ol", "dl"})


@dataclass(frozen=True)
class Body:
    """The chosen body: its paragraphs, the rule that gave them, the containers, steps tried."""

    paragraphs: tuple[str, ...]
    rule: str | None
    containers: tuple[Tag, ...]
    tried: tuple[str, ...]

    @property
    def warning(self) -> str | None:
        if self.paragraphs:
            return None
        return "no article body found (tried: " + ", ".join(self.tried) + ")"


def choose_body(
    scan: PageScan,
    containers: list[Tag],
    rule: str,
    *,
    ld: JsonLd | None,
    html: str,
    skip: set[int],
    title: str | None,
    lede: str | None = None,
    keep: Callable[[str], bool] = lambda _: True,
    declared: bool = False,
) -> Body:
    """Run the cascade (see the module docstring). ``lede`` is the page's description (its
    opening, shown in the page but missing from the body, makes the body implausible);
    ``keep`` filters paragraphs (a date line that became a field)."""

    def clean(paragraphs: list[str]) -> tuple[str, ...]:
        return tuple(p for p in drop_headline(paragraphs, title) if keep(p))

    first = clean(collect_paragraphs(containers, scan, skip=skip))
    tried = [rule]
    best = Body(first, rule if first else None, tuple(containers), ())
    if declared and first:
        return best
    runs = paragraph_runs(scan)
    ld_body = ld.body if ld is not None and ld.body and len(ld.body) >= MIN_BODY else None
    openings = opening_windows(ld_body, lede)
    reason = implausible(first, containers, scan, runs, openings)
    if reason is None:
        return _whole_run(_sections(best, scan, skip, clean), runs, scan, skip, clean)

    def better(paragraphs: tuple[str, ...], name: str, found: tuple[Tag, ...] = ()) -> bool:
        nonlocal best
        length = text_length(paragraphs)
        if not paragraphs or length < 2 * text_length(best.paragraphs):
            return False
        best = Body(paragraphs, name, found or best.containers, ())
        return True

    tried.append("second-choice")
    rivals = _rivals(scan, containers)
    if reason == "lede":  # the block that shows the lede, when it holds running text
        showing = [[r] for r in rivals if shows(openings, [r])]
        showing += [[_widen(r[1][0].parent, containers, scan)] for r in runs
                    if r[1][0].parent is not None and shows(openings, r[1])][:1]  # fmt: skip
        # a list picked first inside the block that shows the lede is a gallery or teaser list
        lists = {id(c) for c in containers if c.name in _LISTS}
        for collect in showing:
            if scan.link_density(collect[0]) > LINKY:
                continue
            got = clean(collect_paragraphs(collect, scan, skip=skip | lists))
            holds = any(_inside(c, {id(collect[0])}) for c in containers)
            replaces = (holds and lists) or (
                not holds and text_length(got) >= _REPLACE * text_length(first)
            )
            if replaces and text_length(got) >= RUN_MIN:
                return _done(Body(got, "second-choice", tuple(collect), ()), tried)
            # a standfirst (often in a header) above a much longer body: its lede paragraph
            # opens the body
            seen = clean(collect_paragraphs(collect, scan, skip=skip | lists, min_flag=CHROME))
            above = scan.order.get(id(collect[0]), 0) < scan.order.get(id(containers[0]), 0)
            if text_length(seen) >= RUN_MIN and (holds or above):
                opening = tuple(p for p in seen if p not in first and shows_text(openings, p))
                if opening:
                    return _done(Body(opening + first, f"{rule}+lede", best.containers, ()), tried)
            break
    for rival in rivals:
        got = clean(collect_paragraphs([rival], scan, skip=skip))
        if scan.link_density(rival) <= LINKY and better(got, "second-choice", (rival,)):
            return _done(best, tried)
    tried.append("json-ld")
    if ld_body is not None and agrees(ld_body, runs, bool(first)):
        lines = [normalize_space(line) for line in ld_body.splitlines()]
        if better(clean([line for line in lines if line]), "json-ld"):
            return _done(best, tried)
    tried.append("page-state")
    if better(clean(state_paragraphs(html)), "page-state"):
        return _done(best, tried)
    tried.append("paragraph-run")
    if runs:
        elements = runs[0][1]
        got = clean(collect_paragraphs(elements, scan, skip=skip, min_flag=CHROME))
        better(got, "paragraph-run", tuple(elements))
    return _done(best, tried)


def _whole_run(
    best: Body,
    runs: list[tuple[int, list[Tag]]],
    scan: PageScan,
    skip: set[int],
    clean: Callable[[list[str]], tuple[str, ...]],
) -> Body:
    """A body that is one block of the page's longest run (text blocks split by headings)
    grows to the whole run when the run holds half as much again."""
    if not runs or len(best.containers) != 1 or runs[0][0] < _SPLIT * text_length(best.paragraphs):
        return best
    members = {id(e) for e in runs[0][1]}
    if id(best.containers[0]) not in members:
        return best
    got = clean(collect_paragraphs(runs[0][1], scan, skip=skip))
    if text_length(got) < _SPLIT * text_length(best.paragraphs):
        return best
    return Body(got, "paragraph-run", tuple(runs[0][1]), best.tried)


def _sections(
    best: Body, scan: PageScan, skip: set[int], clean: Callable[[list[str]], tuple[str, ...]]
) -> Body:
    """A body that is one of several sibling sections of the same tag and class (a story told
    in numbered items, each with its heading) grows to every such section holding running text.
    The container or a wrapper adding little text to it counts as the section; then each
    section gives the part like the container (an item number beside it stays out)."""
    if len(best.containers) != 1:
        return best
    node = best.containers[0]
    for _ in range(_SECTION_DEPTH):
        parent = node.parent
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            return best
        kind = node.get("class")
        like = [
            c
            for c in parent.children
            if isinstance(c, Tag) and kind and c.name == node.name and c.get("class") == kind
        ]
        texty = [
            c
            for c in like
            if scan.text_len.get(id(c), 0) >= _SECTION_MIN
            and scan.link_density(c) <= _SECTION_LINKY
            and not scan.in_chrome(c)
        ]
        if len(texty) >= 2 and any(c is node for c in texty):
            inner = best.containers[0]
            if inner is not node:  # each section's part like the container (not its number)
                kinds = {"class": inner.get("class")} if inner.get("class") else {}
                texty = [c.find(inner.name, attrs=kinds) or c for c in texty]
            got = clean(collect_paragraphs(texty, scan, skip=skip))
            if text_length(got) < _SECTION_GROW * text_length(best.paragraphs):
                return best
            return Body(got, "paragraph-run", tuple(texty), best.tried)
        if scan.text_len.get(id(parent), 0) > _WRAPPER * scan.text_len.get(id(node), 0):
            return best
        node = parent
    return best


def _done(best: Body, tried: list[str]) -> Body:
    return Body(best.paragraphs, best.rule, best.containers, tuple(tried))


def _widen(node: Tag, containers: list[Tag], scan: PageScan) -> Tag:
    """The run's parent, widened to ancestors that add little text (a body cut into sections by
    ads and figures) but never to one holding the first choice."""
    while True:
        parent = node.parent
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            return node
        text = scan.text_len.get(id(parent), 0)
        if (
            text > 2 * scan.text_len.get(id(node), 0)
            or scan.link_density(parent) > 0.3
            or scan.in_chrome(parent)
            or any(_inside(c, {id(parent)}) for c in containers if c.name not in _LISTS)
        ):
            return node
        node = parent


def _rivals(scan: PageScan, containers: list[Tag]) -> list[Tag]:
    """The best density candidates that neither hold nor sit inside the first containers."""
    chosen = {id(c) for c in containers}
    above: set[int] = set()
    for container in containers:
        node = container.parent
        while node is not None:
            above.add(id(node))
            node = node.parent
    scored: list[tuple[float, Tag]] = []
    for key, tag in scan.candidates.items():
        if key in chosen or key in above or scan.in_non_body(tag) or _inside(tag, chosen):
            continue
        weight = positive_weight(attr_key(tag)) if tag.attrs else 0
        scored.append(((scan.scores[key] + weight) * (1 - scan.link_density(tag)), tag))
    scored.sort(key=lambda item: -item[0])
    return [tag for _, tag in scored[:_RIVALS]]


def _inside(tag: Tag, chosen: set[int]) -> bool:
    node = tag.parent
    while node is not None:
        if id(node) in chosen:
            return True
        node = node.parent
    return False
