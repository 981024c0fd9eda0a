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

Pages per second count the extraction call only (bytes in, record out), one core, after one
warm-up page; the tools run interleaved page by page, so load from other processes slows both
alike, and a corpus of fewer than 200 pages is timed over repeated rounds. trafilatura runs
``bare_extraction`` with metadata, the same job as ours.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import extract_article  # noqa: E402
from extractors.inspect import profile_from_dict, record_to_dict  # noqa: E402
from extractors.records import ExtractionProfile  # noqa: E402

CORPORA_DIR = ROOT.parent / "shared" / "corpora"
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "extraction"
CORPUS_NAMES = ("fixtures", "scrapinghub", "fundus-eval", "htmldate-eval")
TOOLS = ("pressroom", "trafilatura")
_TOKEN = re.compile(r"\w+")
_MIN_TIMED_PAGES = 200


# ----------------------------------------------------------------------------- metrics


def shingle_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """tp, fp, fn over 4-token shingles, normalised to sum to 1 (the upstream's metric)."""
    gold, got = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in gold.keys() | got.keys():
        g, p = gold.get(key, 0), got.get(key, 0)
        tp += min(g, p)
        fp += max(0, p - g)
        fn += max(0, g - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def body_f1(counts: list[tuple[float, float, float]]) -> float:
    """Mean precision and mean recall over pages, then their harmonic mean."""
    precision = [_score(tp, fp, fn, fp) for tp, fp, fn in counts if tp + fp > 0]
    recall = [_score(tp, fp, fn, fn) for tp, fp, fn in counts if tp + fn > 0]
    p = statistics.mean(precision) if precision else 0.0
    r = statistics.mean(recall) if recall else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _score(tp: float, fp: float, fn: float, miss: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == miss == 0:
        return 0.0
    return tp / (tp + miss)


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


# ----------------------------------------------------------------------------- corpora


@dataclass
class Page:
    """One page of a corpus with its gold fields."""

    name: str
    body: bytes
    url: str
    profile: ExtractionProfile = field(default_factory=ExtractionProfile)
    content_type: str | None = None
    gold: dict[str, Any] = field(default_factory=dict)


def load_corpus(name: str, limit: int | None) -> list[Page] | None:
    """The pages of a corpus, or None when its folder is absent."""
    loader = {
        "fixtures": _fixtures,
        "scrapinghub": _scrapinghub,
        "fundus-eval": _fundus,
        "htmldate-eval": _htmldate,
    }[name]
    folder = FIXTURES_DIR if name == "fixtures" else CORPORA_DIR / name
    if not folder.is_dir():
        return None
    pages = []
    for page in loader(folder):
        pages.append(page)
        if limit and len(pages) >= limit:
            break
    return pages


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _fixtures(folder: Path) -> Iterator[Page]:
    for spec in sorted(folder.glob("*.json")):
        data = json.loads(spec.read_text(encoding="utf-8"))
        stem = spec.name.removesuffix(".json")
        page = folder / f"{stem}.html"
        given = data["input"]
        yield Page(
            name=stem,
            body=_read(page if page.exists() else folder / f"{stem}.html.gz"),
            url=given["url"],
            profile=profile_from_dict(given),
            content_type=given.get("content_type"),
            gold=data["expected"],
        )


def _scrapinghub(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if path.exists():
            gold = {"body": truth[key].get("articleBody", "")}
            yield Page(name=key, body=_read(path), url=truth[key].get("url", ""), gold=gold)


def _fundus(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / (key if key.endswith(".gz") else f"{key}.html.gz")
        if path.exists():
            gold = {"body": "\n".join(truth[key].get("body") or [])}
            yield Page(name=key, body=_read(path), url=truth[key].get("url", ""), gold=gold)


def _htmldate(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "eval_default.json").read_text(encoding="utf-8"))
    for url in sorted(truth):
        entry = truth[url]
        path = folder / "html" / f"{entry['file']}.gz"
        if path.exists() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry.get("date"))):
            yield Page(name=entry["file"], body=_read(path), url=url, gold={"day": entry["date"]})


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
    if corpus == "htmldate-eval":
        pairs = list(zip(outputs, pages, strict=True))
        right = sum(o.day == p.gold["day"] for o, p in pairs)
        metrics["date_accuracy"] = right / len(pages)
        either = sum(p.gold["day"] in (o.day, o.updated_day) for o, p in pairs)
        metrics["date_pub_or_upd"] = either / len(pages)  # secondary: see the module docstring
        return metrics
    metrics["body_f1"] = body_f1(
        [
            shingle_counts(p.gold.get("body", ""), o.body)
            for o, p in zip(outputs, pages, strict=True)
        ]
    )
    if corpus == "fixtures":
        for name in ("title", "date", "author", "origin"):
            hits = sum(_fixture_hit(name, o, p, tool) for o, p in zip(outputs, pages, strict=True))
            metrics[f"{name}_exact"] = hits / len(pages)
    return metrics


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


def _fixture_gold_body(pages: list[Page]) -> None:
    for page in pages:
        page.gold["body"] = "\n".join(page.gold.get("paragraphs", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=CORPUS_NAMES,
                        help="only this corpus (repeatable; default: all)")  # fmt: skip
    parser.add_argument("--tool", action="append", choices=TOOLS, help="only this tool")
    parser.add_argument("--limit", type=int, help="at most N pages per corpus")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
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
    for corpus in args.corpus or CORPUS_NAMES:
        pages = load_corpus(corpus, args.limit)
        if pages is None:
            skipped.append(f"{corpus}: folder not found")
            continue
        if corpus == "fixtures":
            _fixture_gold_body(pages)
        runs = run_tools(pages, tools)
        results[corpus] = {tool: score(corpus, pages, tool, run) for tool, run in runs.items()}
    if args.json:
        print(json.dumps({"results": results, "skipped": skipped}, indent=2, sort_keys=True))
    else:
        print(_table(results))
        for item in skipped:
            print(f"skipped {item}")
    return 0


def _table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [f"{'corpus':<14} {'tool':<12} {'metric':<15} {'value':>9}", "-" * 53]
    for corpus, by_tool in results.items():
        for tool, metrics in by_tool.items():
            for metric, value in metrics.items():
                shown = f"{value:.0f}" if metric in ("pages", "failures") else f"{value:.3f}"
                if metric == "pages_per_s":
                    shown = f"{value:.1f}"
                lines.append(f"{corpus:<14} {tool:<12} {metric:<15} {shown:>9}")
        if set(TOOLS) <= by_tool.keys():
            ratio = by_tool["pressroom"]["pages_per_s"] / by_tool["trafilatura"]["pages_per_s"]
            lines.append(f"{corpus:<14} {'ratio':<12} {'speed_x':<15} {ratio:>9.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
