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
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _extraction_scores import score  # noqa: E402
from _extraction_tools import TOOLS, Output, run_tools  # noqa: E402
from corpora import (  # noqa: E402
    CORPORA_DIR,
    CORPUS_NAMES,
    Page,
    body_f1,
    load_corpus,
    shingle_counts,
)

__all__ = ["CORPORA_DIR", "Page", "load_corpus", "main"]

_COUNTS = frozenset({"pages", "failures", "empty_bodies", "non_articles", "non_article_bodies"})
_STEP_METRICS = ("step:", "rescued")


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
