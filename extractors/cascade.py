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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import Tag

from pressroom.extractors.body import collect_paragraphs, drop_headline, normalize_space
from pressroom.extractors.boilerplate import CHROME, SKIP_TAGS, attr_key, positive_weight
from pressroom.extractors.metadata import JsonLd
from pressroom.extractors.page_state import state_paragraphs
from pressroom.extractors.scan import PageScan

__all__ = ["Body", "choose_body", "first_choice_problem", "paragraph_runs"]

_MIN_BODY = 200  # characters: shorter JSON-LD or state text is a teaser, not a body
_LINKY = 0.5
_SHORT = 3.0  # the largest run this many times longer than the body: the body is implausible
_RUN_MIN = 400
_OPENING = 60
_REPLACE = 0.3  # the block showing the lede replaces a body at most this many times longer
_SPLIT = 1.5  # a run this much longer than its one block is the body cut by headings
_LEDE_MIN = 80  # a description shorter than this is a tagline, not the article's opening
_RIVALS = 3
_SECTION_DEPTH = 3  # the container and at most two wrappers that add little text
_SECTION_MIN = 200  # characters: a shorter sibling section is a teaser or a caption
_SECTION_LINKY = 0.3
_WRAPPER = 1.15
_SECTION_GROW = 1.2  # the other sections add a fifth at least
_PARAGRAPH_LIKE = frozenset({"p", "pre", "blockquote"})
_TEXT_BLOCKS = frozenset({"div", "section", "span", "font"})
_TRANSPARENT = frozenset(
    {"br", "hr", "img", "figure", "picture", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "table"}
)  # fmt: skip
_INNER_BLOCKS = frozenset({"div", "p", "section", "article", "ul", "ol", "table", "li"})
_LISTS = frozenset({"ul", "ol", "dl"})
_WORD = re.compile(r"\w+")


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
    ld_body = ld.body if ld is not None and ld.body and len(ld.body) >= _MIN_BODY else None
    openings = _openings(ld_body, lede)
    reason = _implausible(first, containers, scan, runs, openings)
    if reason is None:
        return _whole_run(_sections(best, scan, skip, clean), runs, scan, skip, clean)

    def better(paragraphs: tuple[str, ...], name: str, found: tuple[Tag, ...] = ()) -> bool:
        nonlocal best
        length = _length(paragraphs)
        if not paragraphs or length < 2 * _length(best.paragraphs):
            return False
        best = Body(paragraphs, name, found or best.containers, ())
        return True

    tried.append("second-choice")
    rivals = _rivals(scan, containers)
    if reason == "lede":  # the block that shows the lede, when it holds running text
        showing = [[r] for r in rivals if _shows(openings, [r])]
        showing += [[_widen(r[1][0].parent, containers, scan)] for r in runs
                    if r[1][0].parent is not None and _shows(openings, r[1])][:1]  # fmt: skip
        # a list picked first inside the block that shows the lede is a gallery or teaser list
        lists = {id(c) for c in containers if c.name in _LISTS}
        for collect in showing:
            if scan.link_density(collect[0]) > _LINKY:
                continue
            got = clean(collect_paragraphs(collect, scan, skip=skip | lists))
            holds = any(_inside(c, {id(collect[0])}) for c in containers)
            replaces = (holds and lists) or (
                not holds and _length(got) >= _REPLACE * _length(first)
            )
            if replaces and _length(got) >= _RUN_MIN:
                return _done(Body(got, "second-choice", tuple(collect), ()), tried)
            # a standfirst (often in a header) above a much longer body: its lede paragraph
            # opens the body
            seen = clean(collect_paragraphs(collect, scan, skip=skip | lists, min_flag=CHROME))
            above = scan.order.get(id(collect[0]), 0) < scan.order.get(id(containers[0]), 0)
            if _length(seen) >= _RUN_MIN and (holds or above):
                opening = tuple(p for p in seen if p not in first and _shows_text(openings, p))
                if opening:
                    return _done(Body(opening + first, f"{rule}+lede", best.containers, ()), tried)
            break
    for rival in rivals:
        got = clean(collect_paragraphs([rival], scan, skip=skip))
        if scan.link_density(rival) <= _LINKY and better(got, "second-choice", (rival,)):
            return _done(best, tried)
    tried.append("json-ld")
    if ld_body is not None and _agrees(ld_body, runs, bool(first)):
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
    ld_body = ld.body if ld is not None and ld.body and len(ld.body) >= _MIN_BODY else None
    first = tuple(paragraphs)
    return _implausible(first, containers, scan, paragraph_runs(scan), _openings(ld_body, lede))


def _whole_run(
    best: Body,
    runs: list[tuple[int, list[Tag]]],
    scan: PageScan,
    skip: set[int],
    clean: Callable[[list[str]], tuple[str, ...]],
) -> Body:
    """A body that is one block of the page's longest run (text blocks split by headings)
    grows to the whole run when the run holds half as much again."""
    if not runs or len(best.containers) != 1 or runs[0][0] < _SPLIT * _length(best.paragraphs):
        return best
    members = {id(e) for e in runs[0][1]}
    if id(best.containers[0]) not in members:
        return best
    got = clean(collect_paragraphs(runs[0][1], scan, skip=skip))
    if _length(got) < _SPLIT * _length(best.paragraphs):
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
            if _length(got) < _SECTION_GROW * _length(best.paragraphs):
                return best
            return Body(got, "paragraph-run", tuple(texty), best.tried)
        if scan.text_len.get(id(parent), 0) > _WRAPPER * scan.text_len.get(id(node), 0):
            return best
        node = parent
    return best


def _done(best: Body, tried: list[str]) -> Body:
    return Body(best.paragraphs, best.rule, best.containers, tuple(tried))


def _length(paragraphs: tuple[str, ...] | list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _implausible(
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
    if text and links > _LINKY * text:
        return "links"
    length = _length(first)
    if runs and runs[0][0] >= _RUN_MIN and runs[0][0] > _SHORT * length:
        return "short"
    if openings:
        words = _words(" ".join(first))
        if not any(o in words for o in openings) and any(_shows(openings, r[1]) for r in runs):
            return "lede"
    return None


def _openings(*texts: str | None) -> list[str]:
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


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text)).casefold()


def _shows_text(openings: list[str], text: str) -> bool:
    words = _words(text)
    return any(o in words for o in openings)


def _shows(openings: list[str], elements: list[Tag]) -> bool:
    return any(o in _words(e.get_text(" ")) for e in elements for o in openings)


def _agrees(ld_body: str, runs: list[tuple[int, list[Tag]]], has_body: bool) -> bool:
    """The JSON-LD body agrees with the page: the page shows its opening, or the page has no
    running text of its own to disagree with (a body rendered by script)."""
    openings = _openings(ld_body)
    if any(_shows(openings, r[1]) for r in runs):
        return True
    return not has_body and (not runs or runs[0][0] < _MIN_BODY)


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
    if text < 25 or scan.flag(tag) >= CHROME or scan.link_density(tag) >= _LINKY:
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
