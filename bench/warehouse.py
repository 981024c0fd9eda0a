"""Warehouse benchmark: load synthetic articles through staging, then time BM25 search.

    .venv/bin/python bench/warehouse.py                 # 100,000 articles, batches of 1,000
    .venv/bin/python bench/warehouse.py --articles 10000 --json

Each article has about 3 KB of body in 8 paragraphs (one in ten is Chinese). Every batch goes
through :func:`pressroom.warehouse.stage_batch` (Parquet, fsync) and then
:func:`pressroom.warehouse.load_pending`
(one transaction, then the search index), as a run does. Text generation is not timed.
Reports articles per second (staging, loading and both, wall clock; CPU seconds and the load
average alongside, since other work on the machine inflates wall time), peak RSS, the DuckDB
file's size and the search index's, and search latency p50/p95 over ``--queries`` queries, each
a separate ``search()`` call as ``pressroom search`` makes: English words (1-3), Chinese words
(2-4 characters) and English phrases in quotes (two adjacent words of a loaded article), with
p95 per kind. Targets (issue 16): search p95 <= 10 ms at 100,000 articles; load >= 1.5x the
articles per second of the posting-table search; DuckDB file <= half its size.

The script only calls ``stage_batch``, ``load_pending`` and ``search``, so it runs unchanged
against an older checkout (``cp bench/warehouse.py OLD/bench/ && python OLD/bench/warehouse.py``)
for before/after figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pressroom.core.articles import ArticleRecord
from pressroom.core.runs import RunRecord, StagedArticle
from pressroom.warehouse import load_pending, search, stage_batch

__all__ = ["main", "run_benchmark"]

T0 = datetime(2020, 1, 1, tzinfo=UTC)
_LETTERS = "abcdefghijklmnoprstuvwy"
_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
)


class Corpus:
    """Deterministic synthetic text: Zipf-distributed pseudo-words, English and Chinese."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        words: set[str] = set()
        while len(words) < 20_000:
            words.add("".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 11))))
        self.words = sorted(words, key=lambda w: (len(w), w))
        self.word_weights = list(accumulate(1 / (r + 1) ** 1.05 for r in range(len(self.words))))
        zh: set[str] = set()
        while len(zh) < 6_000:
            zh.add("".join(rng.choice(_HANZI) for _ in range(rng.choice((1, 2, 2, 2, 3, 4)))))
        self.zh_words = sorted(zh)
        self.zh_weights = list(accumulate(1 / (r + 1) ** 1.05 for r in range(len(self.zh_words))))

    def english(self, n_words: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.word_weights, k=n_words)
        return " ".join(words).capitalize() + "."

    def chinese(self, n_words: int) -> str:
        return "".join(self.rng.choices(self.zh_words, cum_weights=self.zh_weights, k=n_words))

    def article(self, n: int, fetched_at: datetime) -> StagedArticle:
        source = f"source-{n % 20:02d}"
        if n % 10 == 9:
            title = self.chinese(8)
            paragraphs = tuple(self.chinese(55) + "。" for _ in range(8))
        else:
            title = self.english(8)
            paragraphs = tuple(self.english(92) for _ in range(8))
        url = f"https://{source}.example.gov/news/{n}.html"
        record = ArticleRecord(
            url=url,
            title=title,
            published_at=T0 + timedelta(minutes=7 * n),
            author="Press Office",
            paragraphs=paragraphs,
        )
        return StagedArticle(source, f"{source}-{n}", url, record, fetched_at)


def _cpu(proc: psutil.Process) -> float:
    """User + system CPU seconds of this process, all threads (DuckDB's included)."""
    times = proc.cpu_times()
    return times.user + times.system


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run_benchmark(
    articles: int, batch_size: int, queries: int, workdir: Path, load_every: int = 1
) -> dict[str, Any]:
    """Load ``articles`` in batches, then run ``queries`` searches; return the figures.

    ``load_every`` batches are staged before each ``load_pending`` call (1: every batch is
    loaded as soon as it is staged, like a run; more: a catch-up after the warehouse was busy).
    """
    proc = psutil.Process()
    index_timer = _time_the_index()
    corpus = Corpus()
    wh = workdir / "bench.duckdb"
    staging = workdir / "bench.duckdb.staging"
    started = datetime.now(UTC)
    run = RunRecord("bench", "bench", "manual", started, status="running")
    stage_s = load_s = 0.0
    stage_cpu = load_cpu = 0.0
    load_before = os.getloadavg()[0]
    peak_rss = proc.memory_info().rss
    body_bytes = 0
    starts = list(range(0, articles, batch_size))
    for i, first in enumerate(starts, start=1):
        batch = [
            corpus.article(n, started) for n in range(first, min(first + batch_size, articles))
        ]
        body_bytes += sum(len(a.record.body_text.encode()) for a in batch)
        t, c = time.perf_counter(), _cpu(proc)
        stage_batch(staging, run=run, articles=batch)
        stage_s += time.perf_counter() - t
        stage_cpu += _cpu(proc) - c
        if i % load_every and i != len(starts):
            continue
        t, c = time.perf_counter(), _cpu(proc)
        report = load_pending(wh, staging)
        load_s += time.perf_counter() - t
        load_cpu += _cpu(proc) - c
        if not report.ok:
            raise SystemExit(f"load failed: {report}")
        peak_rss = max(peak_rss, proc.memory_info().rss)
    t, c = time.perf_counter(), _cpu(proc)
    _wait_for_the_index(wh)  # the last load's index commit counts as load time
    load_s += time.perf_counter() - t
    load_cpu += _cpu(proc) - c

    texts = _queries(corpus, queries, articles)
    search(wh, texts[0][1])  # warm the OS cache once
    latencies: dict[str, list[float]] = {"en": [], "zh": [], "phrase": []}
    hits = 0
    for kind, text in texts:
        t = time.perf_counter()
        hits += bool(search(wh, text, limit=20))
        latencies[kind].append((time.perf_counter() - t) * 1000)
        peak_rss = max(peak_rss, proc.memory_info().rss)
    every = [v for values in latencies.values() for v in values]
    return {
        "articles": articles,
        "batch_size": batch_size,
        "batches_per_load": load_every,
        "avg_body_bytes": round(body_bytes / max(articles, 1)),
        "stage_seconds": round(stage_s, 2),
        "load_seconds": round(load_s, 2),
        "stage_articles_per_s": round(articles / stage_s) if stage_s else None,
        "load_articles_per_s": round(articles / load_s) if load_s else None,
        "end_to_end_articles_per_s": round(articles / (stage_s + load_s)),
        "load_index_seconds": round(index_timer[0], 2),
        "load_warehouse_articles_per_s": round(articles / (load_s - index_timer[0]))
        if load_s
        else None,
        "stage_cpu_seconds": round(stage_cpu, 2),
        "load_cpu_seconds": round(load_cpu, 2),
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "peak_rss_mb": round(peak_rss / 2**20),
        "warehouse_mb": round(
            sum(p.stat().st_size for p in workdir.glob("bench.duckdb*") if p.is_file()) / 2**20
        ),
        "search_index_mb": round(
            sum(p.stat().st_size for p in workdir.glob("bench.duckdb.search/**/*") if p.is_file())
            / 2**20
        ),
        "search_index_segments": _segments(wh),
        "queries": queries,
        "queries_with_hits": hits,
        "search_p50_ms": round(statistics.median(every), 1),
        "search_p95_ms": round(_percentile(every, 0.95), 1),
        **{f"search_p95_{k}_ms": round(_percentile(v, 0.95), 1) for k, v in latencies.items() if v},
        "search_max_ms": round(max(every), 1),
    }


def _segments(wh: Path) -> int | None:
    """Segments in the search index (code with a tantivy index beside the file), else None."""
    try:
        from pressroom.warehouse.search_index import open_index
    except ImportError:
        return None
    index = open_index(wh, create=False)
    if index is None:
        return None
    index.reload()
    return index.searcher().num_segments


def _wait_for_the_index(wh: Path) -> None:
    """Wait for index commits still running on a writer thread (code that has one)."""
    try:
        from pressroom.warehouse.index_writer import wait_for_index
    except ImportError:
        return
    wait_for_index(wh)


def _time_the_index() -> list[float]:
    """Seconds the loader spends feeding the search index (a one-item list that grows), so the
    load figure can be split into warehouse and index; [0.0] on code without an index feeder.
    Where the index commits on a writer thread of its own, this is the time the loader waits
    for it (handing rows over, queueing behind a commit), not the time the thread works."""
    spent = [0.0]
    try:
        from pressroom.warehouse.index_writer import IndexFeeder
    except ImportError:
        try:
            from pressroom.warehouse.search_index import IndexFeeder
        except ImportError:
            return spent

    def timed(method: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t

        return wrapper

    # add_rows where it exists (add_query calls it); add_query on the code before it
    adding = "add_rows" if hasattr(IndexFeeder, "add_rows") else "add_query"
    for name in ("__init__", adding, "commit"):
        setattr(IndexFeeder, name, timed(getattr(IndexFeeder, name)))
    return spent


def _queries(corpus: Corpus, count: int, articles: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: 3 in 5 English words, 1 in 5 Chinese, 1 in 5 English phrases."""
    rng = random.Random(11)
    mid = corpus.words[200:5000]
    probe = Corpus(seed=7)  # the same text stream: phrases taken from the first article
    body = probe.article(0, T0).record.body_text or ""
    words = body.replace(".", "").lower().split()
    out = []
    for i in range(count):
        if i % 5 == 4:
            out.append(("zh", corpus.chinese(2)))
        elif i % 5 == 3:
            at = rng.randrange(max(len(words) - 2, 1))
            out.append(("phrase", f'"{words[at]} {words[at + 1]}"'))
        else:
            out.append(("en", " ".join(rng.sample(mid, rng.randint(1, 3)))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles to load")
    parser.add_argument("--batch-size", type=int, default=1_000, help="articles per batch")
    parser.add_argument("--queries", type=int, default=50, help="search queries to time")
    parser.add_argument(
        "--load-every",
        type=int,
        default=1,
        help="batches staged per load_pending call (1 = load each batch at once)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        figures = run_benchmark(
            args.articles, args.batch_size, args.queries, workdir, max(args.load_every, 1)
        )
    finally:
        if args.dir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
    else:
        width = max(map(len, figures))
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
