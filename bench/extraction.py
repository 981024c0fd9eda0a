"""Benchmark: pressroom's extractor and trafilatura side by side, in the same run.

    .venv/bin/python bench/extraction.py                  # every corpus, table on stdout
    .venv/bin/python bench/extraction.py --limit 50 --json
    .venv/bin/python bench/extraction.py --corpus fixtures --corpus scrapinghub

Corpora (public ones from ``../shared/corpora`` beside the repo root, skipped when absent):

* ``scrapinghub``: body F1 with the upstream's metric (4-word shingles of ``\\w+`` tokens,
  per-page tp/fp/fn normalised, precision and recall averaged over pages, then F1).
* ``fundus-eval``: body F1 over the gold paragraphs, same shingle metric (the upstream paper
  reports ROUGE-LSum, so its published figures are not directly comparable).
* ``htmldate-eval``: publication date accuracy (the page's own calendar day, ``YYYY-MM-DD``).
  The gold is htmldate's *original* date (its evaluation runs ``find_date(original_date=True)``),
  so ``date_accuracy`` scores ``published_at`` alone, its day taken in the offset the page wrote
  (``parse_date`` keeps it; nothing is converted to UTC or to the profile's zone first).
  ``date_pub_or_upd`` is a secondary, more lenient figure: right when the gold day is the day of
  ``published_at`` *or* of ``updated_at`` (trafilatura gives one date, so both figures match).
* ``fixtures``: the project's own saved pages: title, date, author and origin exact match against
  the expected JSON, body F1. trafilatura only gives a day, so its date counts as right when the
  day matches; it has no origin field, so its ``sitename`` stands in.
* ``readability``: Mozilla Readability's test pages (base URL ``http://fakehost/test/page.html``).
  Body F1 against the text of ``expected.html`` (same shingle metric), ``title_exact`` (equal
  after whitespace and Unicode normalisation, case-insensitive), ``title_headline`` (exact, or
  equal to the gold's part before a title separator: the gold keeps the ``<title>``'s site
  segments, "How to Build a Terrarium | eHow", which pressroom's titles drop by design),
  ``author_byline`` (the author
  equals the byline or one holds the other once a leading "By" is cut: the bylines keep dates
  and roles), ``date_accuracy`` against the day of ``publishedTime`` where given; each with the
  number of pages it is measured on (``*_pages``). The 8 ``readerable: false`` pages hold no
  article: they are left out of every figure but ``non_articles`` and ``non_article_bodies``
  (how many of them got a body of 200 characters or more).

``empty_bodies`` (every corpus with gold text) counts the article pages whose gold text has 200
characters or more and whose extracted body is empty. ``--per-page FILE`` writes each page's
F1, body length and body rule as JSON, to see which pages a change moved.

A second table counts, per corpus, which cascade step gave pressroom's body (the article
pages' ``rules["paragraphs"]``), and the rescues: bodies from a fallback step (anything but
selector, site module, Hanweb markers and plain density), and of those how many the density
container alone would have left empty or implausible by the cascade's own test (the rest are
density bodies grown to their whole paragraph run). That check re-parses the page, untimed.

Pages per second count the extraction call only (bytes in, record out), one core, after one
warm-up page; the tools run interleaved page by page, so load from other processes slows both
alike, and a corpus of fewer than 200 pages is timed over repeated rounds. trafilatura runs
``bare_extraction`` with metadata, the same job as ours.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpora import (  # noqa: E402
    CORPORA_DIR,
    CORPUS_NAMES,
    GOLD_MIN_CHARS,
    Page,
    body_f1,
    load_corpus,
    shingle_counts,
)

from pressroom.core.articles import ExtractionProfile  # noqa: E402
from pressroom.extractors import extract_article  # noqa: E402
from pressroom.extractors.body import collect_paragraphs, find_container  # noqa: E402
from pressroom.extractors.body_plausibility import first_choice_problem  # noqa: E402
from pressroom.extractors.encoding import decode_html  # noqa: E402
from pressroom.extractors.inspect import record_to_dict  # noqa: E402
from pressroom.extractors.markup import BLOCK_WHITESPACE, STRIP  # noqa: E402
from pressroom.extractors.metadata import MetaTags, read_json_ld  # noqa: E402
from pressroom.extractors.scan import scan_page  # noqa: E402

__all__ = ["CORPORA_DIR", "Page", "load_corpus", "main"]

TOOLS = ("pressroom", "trafilatura")
_MIN_TIMED_PAGES = 200
_COUNTS = frozenset({"pages", "failures", "empty_bodies", "non_articles", "non_article_bodies"})
_STEP_METRICS = ("step:", "rescued")
_PRIMARY = ("selector", "site:", "hanweb:", "density")  # a body from these is not a rescue
_BY = re.compile(r"^(?:by|par|por|von|written by|posted by)\s+", re.I)


# ----------------------------------------------------------------------------- tools


@dataclass
class Output:
    """What a tool gave for one page, reduced to the compared fields."""

    title: str | None = None
    day: str | None = None
    updated_day: str | None = None
    published: str | None = None
    author: str | None = None
    origin: str | None = None
    body: str = ""
    rule: str | None = None


def run_pressroom(body: bytes, url: str, profile: ExtractionProfile, ctype: str | None) -> Output:
    record = extract_article(body, url, profile=profile, content_type=ctype)
    data = record_to_dict(record)
    published, updated = record.published_at, record.updated_at
    return Output(  # .date() in the datetime's own offset: the calendar day the page gave
        title=record.title,
        day=published.date().isoformat() if published else None,
        updated_day=updated.date().isoformat() if updated else None,
        published=data.get("published_at"),
        author=record.author,
        origin=record.origin,
        body="\n".join(record.paragraphs),
        rule=record.rules.get("paragraphs"),
    )


def run_trafilatura(body: bytes, url: str, profile: ExtractionProfile, ctype: str | None) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    if doc is None:
        return Output()
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return Output(
        title=data.get("title"),
        day=data.get("date"),
        author=data.get("author"),
        origin=data.get("sitename"),
        body=data.get("text") or "",
    )


RUNNERS: dict[str, Callable[[bytes, str, ExtractionProfile, str | None], Output]] = {
    "pressroom": run_pressroom,
    "trafilatura": run_trafilatura,
}


# ----------------------------------------------------------------------------- scoring


def run_tools(pages: list[Page], tools: list[str]) -> dict[str, tuple[list[Output], float, int]]:
    """Every tool on every page, interleaved page by page so that a busy machine slows all
    tools alike; per tool: outputs, seconds spent in the tool, crashes."""
    runs: dict[str, tuple[list[Output], float, int]] = {}
    if pages:  # warm-up: lazy imports and caches stay out of the timing
        for tool in tools:
            with contextlib.suppress(Exception):
                RUNNERS[tool](pages[0].body, pages[0].url, pages[0].profile, pages[0].content_type)
    outputs: dict[str, list[Output]] = {tool: [] for tool in tools}
    seconds = dict.fromkeys(tools, 0.0)
    failures = dict.fromkeys(tools, 0)
    rounds = max(1, -(-_MIN_TIMED_PAGES // max(1, len(pages))))  # small corpora run repeatedly
    for round_no in range(rounds):
        for page in pages:
            for tool in tools:
                started = time.perf_counter()
                try:
                    out = RUNNERS[tool](page.body, page.url, page.profile, page.content_type)
                except Exception:  # a crash scores as an empty output, and is counted
                    failures[tool] += round_no == 0
                    out = Output()
                seconds[tool] += time.perf_counter() - started
                if round_no == 0:
                    outputs[tool].append(out)
    for tool in tools:
        runs[tool] = (outputs[tool], seconds[tool] / rounds, failures[tool])
    return runs


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=CORPUS_NAMES,
                        help="only this corpus (repeatable; default: all)")  # fmt: skip
    parser.add_argument("--tool", action="append", choices=TOOLS, help="only this tool")
    parser.add_argument("--limit", type=int, help="at most N pages per corpus")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument("--per-page", type=Path, help="write per-page figures to this JSON file")
    args = parser.parse_args(argv)

    tools = list(args.tool or TOOLS)
    skipped: list[str] = []
    if "trafilatura" in tools:
        try:
            import trafilatura  # noqa: F401 - import cost outside the timings
        except ImportError as exc:  # e.g. lxml>=5.2 without lxml_html_clean
            tools.remove("trafilatura")
            skipped.append(f"trafilatura ({exc}; pip install -e '.[bench]' lxml_html_clean)")
    results: dict[str, dict[str, dict[str, float]]] = {}
    per_page: list[dict[str, object]] = []
    for corpus in args.corpus or CORPUS_NAMES:
        pages = load_corpus(corpus, args.limit)
        if pages is None:
            skipped.append(f"{corpus}: folder not found")
            continue
        runs = run_tools(pages, tools)
        results[corpus] = {tool: score(corpus, pages, tool, run) for tool, run in runs.items()}
        per_page.extend(_per_page(corpus, pages, runs))
    if args.per_page:
        args.per_page.write_text(json.dumps(per_page, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps({"results": results, "skipped": skipped}, indent=2, sort_keys=True))
    else:
        print(_table(results))
        for item in skipped:
            print(f"skipped {item}")
    return 0


def _per_page(
    corpus: str, pages: list[Page], runs: dict[str, tuple[list[Output], float, int]]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for index, page in enumerate(pages):
        row: dict[str, object] = {"corpus": corpus, "page": page.name}
        gold = page.gold.get("body", "")
        row["gold_len"] = len(gold)
        for tool, (outputs, _, _) in runs.items():
            out = outputs[index]
            f1 = body_f1([shingle_counts(gold, out.body)]) if gold else None
            row[f"{tool}_f1"] = None if f1 is None else round(f1, 3)
            row[f"{tool}_len"] = len(out.body)
            if out.rule:
                row[f"{tool}_rule"] = out.rule
        rows.append(row)
    return rows


def _table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [f"{'corpus':<14} {'tool':<12} {'metric':<18} {'value':>9}", "-" * 56]
    for corpus, by_tool in results.items():
        for tool, metrics in by_tool.items():
            for metric, value in metrics.items():
                if metric.startswith(_STEP_METRICS):
                    continue  # in the step table below
                counted = metric in _COUNTS or metric.endswith("_pages")
                shown = f"{value:.0f}" if counted else f"{value:.3f}"
                if metric == "pages_per_s":
                    shown = f"{value:.1f}"
                lines.append(f"{corpus:<14} {tool:<12} {metric:<18} {shown:>9}")
        if set(TOOLS) <= by_tool.keys():
            ratio = by_tool["pressroom"]["pages_per_s"] / by_tool["trafilatura"]["pages_per_s"]
            lines.append(f"{corpus:<14} {'ratio':<12} {'speed_x':<18} {ratio:>9.2f}")
    return "\n".join(lines) + "\n\n" + _step_table(results)


def _step_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """Which cascade step gave pressroom's body, per corpus (article pages), and the rescues."""
    by_corpus = {
        c: t["pressroom"] for c, t in results.items() if "rescued" in t.get("pressroom", {})
    }
    steps = sorted({m for metrics in by_corpus.values() for m in metrics if m.startswith("step:")})
    rows = [*steps, "rescued", "rescued_from_empty", "rescued_from_implausible"]
    head = f"{'cascade step':<26}" + "".join(f"{c:>14}" for c in by_corpus)
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = "".join(f"{by_corpus[c].get(row, 0):>14.0f}" for c in by_corpus)
        lines.append(f"{row.removeprefix('step:'):<26}{cells}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
