"""Real processes: a loader killed mid-batch, a read-only holder, concurrent loaders and runs."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import tantivy

from pressroom.warehouse import load_pending, pending_batches, search, stage_batch
from pressroom.warehouse.index_writer import wait_for_index
from pressroom.warehouse.search_index import WATERMARK_ID, open_index
from tests.warehouse.wh_helpers import article, rows, run

CHILD = Path(__file__).with_name("wh_child.py")


def child(*args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(CHILD), *map(str, args)])


def wait_for(path: Path, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"child exited early with {proc.returncode}"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def stage_three(staging: Path) -> list[Path]:
    return [
        stage_batch(staging, run=run(), articles=[article(n) for n in range(i * 10, i * 10 + 10)])
        for i in range(3)
    ]


def indexed(wh: Path) -> int:
    """Articles the search index holds as committed (the watermark document not counted)."""
    wait_for_index(wh)  # this process's loads commit the index on a thread of their own
    index = open_index(wh, create=False)
    if index is None:
        return 0
    searcher = index.searcher()
    marks = searcher.search(tantivy.Query.term_query(index.schema, "article_id", WATERMARK_ID))
    return searcher.num_docs - len(marks.hits)


def counts(wh: Path) -> dict[str, int]:
    got = rows(
        wh,
        "SELECT (SELECT count(*) FROM articles) AS articles,"
        " (SELECT count(*) FROM article_versions) AS versions,"
        " (SELECT count(*) FROM article_paragraphs) AS paragraphs,"
        " (SELECT count(*) FROM loaded_batches) AS batches,"
        " (SELECT articles_new FROM runs) AS run_new",
    )[0]
    return {**got, "indexed": indexed(wh)}


def test_loader_killed_inside_a_batch_leaves_no_trace_of_it(wh: Path, staging: Path) -> None:
    batches = stage_three(staging)
    marker = wh.parent / "in-batch-2"
    proc = child("load-hang", wh, staging, marker, 2)
    wait_for(marker, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert counts(wh) == {
        "articles": 10,
        "versions": 10,
        "paragraphs": 20,
        "indexed": 0,  # the index commits after the loader's last batch: the kill came first
        "batches": 1,
        "run_new": 10,
    }
    assert pending_batches(staging) == batches[1:]
    report = load_pending(wh, staging)
    assert report.loaded == 2 and report.pending == 0
    assert counts(wh) == {
        "articles": 30,
        "versions": 30,
        "paragraphs": 60,
        "indexed": 30,
        "batches": 3,
        "run_new": 30,
    }


def test_loader_killed_at_random_moments_loses_and_duplicates_nothing(
    wh: Path, staging: Path
) -> None:
    rng = random.Random(5)
    for i in range(6):
        stage_batch(staging, run=run(), articles=[article(n) for n in range(i * 50, i * 50 + 50)])
    for _ in range(3):
        proc = child("load", wh, staging, wh.parent / "out.json")
        time.sleep(rng.uniform(0.3, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    load_pending(wh, staging)
    assert counts(wh) == {
        "articles": 300,
        "versions": 300,
        "paragraphs": 600,
        "indexed": 300,
        "batches": 6,
        "run_new": 300,
    }
    assert pending_batches(staging) == []


def test_load_waits_for_a_read_only_holder_and_loses_nothing(wh: Path, staging: Path) -> None:
    load_pending(wh, staging)  # creates nothing: no batches yet
    stage_batch(staging, run=run(), articles=[article(0)])
    load_pending(wh, staging)
    stage_three(staging)
    ready = wh.parent / "held"
    proc = child("hold-ro", wh, 2.0, ready)
    wait_for(ready, proc)
    early = load_pending(wh, staging, lock_timeout=0.3)
    assert early.locked and early.pending == 3 and early.loaded == 0
    assert f"process {proc.pid}" in (early.message or "")
    report = load_pending(wh, staging, lock_timeout=20)
    proc.wait()
    assert report.loaded == 3 and report.pending == 0 and not report.locked
    assert counts(wh)["articles"] == 30


def test_two_loader_processes_at_once_load_each_batch_once(wh: Path, staging: Path) -> None:
    for i in range(8):
        stage_batch(staging, run=run(), articles=[article(n) for n in range(i * 20, i * 20 + 20)])
    outs = [wh.parent / "a.json", wh.parent / "b.json"]
    procs = [child("load", wh, staging, out) for out in outs]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    reports = [json.loads(out.read_text()) for out in outs]
    assert sum(r["loaded"] for r in reports) == 8
    assert all(r["failed"] == {} and r["pending"] == 0 for r in reports)
    assert counts(wh) == {
        "articles": 160,
        "versions": 160,
        "paragraphs": 320,
        "indexed": 160,
        "batches": 8,
        "run_new": 160,
    }


def test_two_runs_at_once_both_finish_without_duplicates(wh: Path, staging: Path) -> None:
    procs = [
        child("run", wh, staging, "sched", 0, 60),
        child("run", wh, staging, "backfill", 30, 60),
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    load_pending(wh, staging)
    assert rows(wh, "SELECT count(*) AS n, count(DISTINCT article_id) AS ids FROM articles") == [
        {"n": 90, "ids": 90}
    ]
    assert rows(wh, "SELECT max(version) AS v FROM article_versions") == [{"v": 1}]
    got = rows(
        wh, "SELECT run_id, articles_new + articles_unchanged AS seen FROM runs ORDER BY run_id"
    )
    assert got == [{"run_id": "backfill", "seen": 60}, {"run_id": "sched", "seen": 60}]
    assert pending_batches(staging) == []


def test_search_answers_from_the_index_while_a_loader_holds_the_warehouse(
    wh: Path, staging: Path
) -> None:
    stage_batch(staging, run=run(), articles=[article(n, title="Ferry") for n in range(5)])
    load_pending(wh, staging)
    stage_batch(staging, run=run("run-2"), articles=[article(n, title="Ferry") for n in (7, 8)])
    stage_batch(staging, run=run("run-3"), articles=[article(9, title="Ferry")])
    marker = wh.parent / "in-batch-2"
    proc = child("load-hang", wh, staging, marker, 2)  # batch 1 committed, index not yet
    try:
        wait_for(marker, proc)
        notes: list[str] = []
        started = time.monotonic()
        hits = search(wh, "ferry", on_note=notes.append)
        assert time.monotonic() - started < 5
        assert sorted(h.article_id for h in hits) == [f"city-{n}" for n in range(5)]
        assert notes and "a load holds the warehouse" in notes[0]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(search(wh, "ferry")) == 7  # caught up with the batch the killed loader committed
    load_pending(wh, staging)
    assert len(search(wh, "ferry")) == 8


def test_search_in_one_process_while_another_loads_batch_after_batch(
    wh: Path, staging: Path
) -> None:
    stage_batch(staging, run=run(), articles=[article(0)])
    load_pending(wh, staging)
    proc = child("run", wh, staging, "sched", 1, 300)
    seen = [1]
    try:
        while proc.poll() is None:
            found = len(search(wh, "first", limit=1000))  # every body says "First <n>."
            assert found >= seen[-1]  # never behind what it showed before
            seen.append(found)
            time.sleep(0.05)
    finally:
        assert proc.wait(timeout=60) == 0
    assert len(search(wh, "first", limit=1000)) == 301
    assert len(seen) > 3
