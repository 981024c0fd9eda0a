"""The figures bench/extraction.py reports for one tool on one corpus (see its docstring).

Body F1 and empty bodies on every corpus with gold text; date accuracy on htmldate-eval; exact
fields on the fixtures; title, byline and date figures on readability; and, for pressroom, the
cascade step that gave each body and the rescues (the density container alone re-checked with
the cascade's own test, untimed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from _extraction_tools import Output
from corpora import GOLD_MIN_CHARS, Page, body_f1, shingle_counts

from pressroom.extractors.body import collect_paragraphs, find_container
from pressroom.extractors.body_plausibility import first_choice_problem
from pressroom.extractors.encoding import decode_html
from pressroom.extractors.markup import BLOCK_WHITESPACE, STRIP
from pressroom.extractors.metadata import MetaTags, read_json_ld
from pressroom.extractors.scan import scan_page

__all__ = ["density_problem", "score"]

_PRIMARY = ("selector", "site:", "hanweb:", "density")  # a body from these is not a rescue
_BY = re.compile(r"^(?:by|par|por|von|written by|posted by)\s+", re.I)


def score(
    corpus: str, pages: list[Page], tool: str, run: tuple[list[Output], float, int]
) -> dict[str, float]:
    """The corpus's metrics for one tool's outputs."""
    outputs, seconds, failures = run
    metrics: dict[str, float] = {"pages": len(pages), "pages_per_s": len(pages) / seconds}
    if failures:
        metrics["failures"] = failures
    pairs = list(zip(outputs, pages, strict=True))
    if corpus == "htmldate-eval":
        right = sum(o.day == p.gold["day"] for o, p in pairs)
        metrics["date_accuracy"] = right / len(pages)
        either = sum(p.gold["day"] in (o.day, o.updated_day) for o, p in pairs)
        metrics["date_pub_or_upd"] = either / len(pages)  # secondary: see the module docstring
        return metrics
    articles = [(o, p) for o, p in pairs if p.gold.get("readerable", True)]
    counts = [shingle_counts(p.gold.get("body", ""), o.body) for o, p in articles]
    metrics["body_f1"] = body_f1(counts)
    metrics["empty_bodies"] = sum(
        not o.body.strip() and len(p.gold.get("body", "")) >= GOLD_MIN_CHARS for o, p in articles
    )
    if tool == "pressroom":
        metrics.update(_step_counts(articles))
    if corpus == "fixtures":
        for name in ("title", "date", "author", "origin"):
            hits = sum(_fixture_hit(name, o, p, tool) for o, p in pairs)
            metrics[f"{name}_exact"] = hits / len(pages)
    if corpus == "readability":
        metrics.update(_readability_metrics(pairs))
    return metrics


def _step_counts(articles: list[tuple[Output, Page]]) -> dict[str, float]:
    """How many article pages each cascade step gave the body (``step:<rule>``), how many came
    from a fallback step (``rescued``), and of those how many the density step alone would have
    left empty (``rescued_from_empty``) or implausible (``rescued_from_implausible``)."""
    counts: dict[str, float] = {}
    rescued = empty = implausible = 0
    for out, page in articles:
        rule = out.rule or "none"
        counts[f"step:{rule}"] = counts.get(f"step:{rule}", 0) + 1
        if rule == "none" or (rule.startswith(_PRIMARY) and rule != "density+lede"):
            continue
        rescued += 1
        problem = density_problem(page)
        empty += problem == "empty"
        implausible += problem not in (None, "empty")
    counts.update(rescued=rescued, rescued_from_empty=empty, rescued_from_implausible=implausible)
    return dict(sorted(counts.items()))


def density_problem(page: Page) -> str | None:
    """Why the density container alone would give no plausible body on this page (the
    cascade's own test: ``empty``, ``links``, ``short``, ``lede``), or None. Untimed."""
    try:
        html = decode_html(page.body, page.content_type)
    except Exception:
        return "empty"
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(BLOCK_WHITESPACE.sub(r"\1", STRIP.sub(" ", html)), "lxml",
                         multi_valued_attributes=None)  # fmt: skip
    scan = scan_page(soup)
    containers = find_container(scan)
    paragraphs = collect_paragraphs(containers, scan)
    lede = (MetaTags(scan.metas).get("description", "og:description") or (None, None))[1]
    return first_choice_problem(scan, containers, paragraphs, ld=read_json_ld(html), lede=lede)


def _readability_metrics(pairs: list[tuple[Output, Page]]) -> dict[str, float]:
    """Title exact, author against byline, date against publishedTime (articles only), and the
    pages that hold no article (``readerable: false``): how many, and how many got a body."""
    articles = [(o, p) for o, p in pairs if p.gold["readerable"]]
    titled = [(o, p) for o, p in articles if p.gold["title"]]
    bylined = [(o, p) for o, p in articles if p.gold["byline"]]
    dated = [(o, p) for o, p in articles if p.gold["day"]]
    others = [o for o, p in pairs if not p.gold["readerable"]]
    return {
        "title_pages": len(titled),
        "title_exact": _share(_norm(o.title) == _norm(p.gold["title"]) for o, p in titled),
        "title_headline": _share(_headline_hit(o.title, p.gold["title"]) for o, p in titled),
        "author_pages": len(bylined),
        "author_byline": _share(_byline_hit(o.author, p.gold["byline"]) for o, p in bylined),
        "date_pages": len(dated),
        "date_accuracy": _share(o.day == p.gold["day"] for o, p in dated),
        "non_articles": len(others),
        "non_article_bodies": sum(len(o.body) >= GOLD_MIN_CHARS for o in others),
    }


def _share(hits: Iterator[bool]) -> float:
    values = list(hits)
    return sum(values) / len(values) if values else 0.0


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


# where a title's site segment starts: " | ", " - ", " – ", " · " (spaced), "_", "["
_TITLE_SEGMENT = re.compile(r"\s+[|\-–—·:]\s+|\s*_|\s*\[")


def _headline_hit(title: str | None, gold: str) -> bool:
    """The title equals the gold, or the gold's leading part before a title separator: the gold
    keeps the ``<title>``'s site segments ("How to Build a Terrarium | eHow") that pressroom's
    titles drop by design."""
    got, want = _norm(title), _norm(gold)
    if not got:
        return False
    if got == want:
        return True
    cuts = [m.start() for m in _TITLE_SEGMENT.finditer(want)]
    return any(got == want[:cut].strip() for cut in cuts)


def _byline_hit(author: str | None, byline: str) -> bool:
    """The author names the byline: equal, or one inside the other once a leading "By" is cut
    (Readability's bylines keep dates and roles: "By Nathan Willis March 25, 2015")."""
    got, gold = _BY.sub("", _norm(author)), _BY.sub("", _norm(byline))
    if not got or not gold:
        return False
    shorter, longer = sorted((got, gold), key=len)
    return len(shorter) >= 3 and shorter in longer


def _fixture_hit(name: str, out: Output, page: Page, tool: str) -> bool:
    gold = page.gold
    if name == "date":
        if tool == "pressroom":
            return out.published == gold.get("published_at")
        expected = gold.get("published_at")
        if expected is None:
            return out.day is None
        local = datetime.fromisoformat(expected).astimezone(ZoneInfo(page.profile.timezone))
        return out.day == local.date().isoformat()
    return (getattr(out, name) or None) == gold.get(name)
