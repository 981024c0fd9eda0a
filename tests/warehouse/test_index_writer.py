"""The index's writer lane: loads go on while the index commits, and a commit that cannot be
made leaves the index behind (never ahead) until the next load or search catches it up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import tantivy

from pressroom.warehouse import index_writer, load_pending, search, stage_batch
from pressroom.warehouse.index_writer import lane_for, wait_for_index
from pressroom.warehouse.search_index import (
    index_watermark,
    open_index,
    stamp_matches,
)
from tests.warehouse.wh_helpers import article, load, rows, run

CHILD = Path(__file__).with_name("wh_child.py")


def ids(hits: list) -> list[str]:
    return sorted(h.article_id for h in hits)


def watermarks(wh: Path) -> tuple[int, int]:
    """(the index's committed watermark, the warehouse's), after this process's writes."""
    wait_for_index(wh)
    index = open_index(wh, create=False)
    assert index is not None
    held = index_watermark(index)
    return held, rows(wh, "SELECT max(load_seq) AS m FROM loaded_batches")[0]["m"]


def hold_the_writer_lock(wh: Path, monkeypatch: pytest.MonkeyPatch) -> tantivy.IndexWriter:
    """Another writer on the index (as another process's would be), after this process's
    queued commits; loads here give up on the lock after 0.2 s."""
    wait_for_index(wh)
    other = open_index(wh, create=False)
    assert other is not None
    monkeypatch.setattr(index_writer, "WRITER_TIMEOUT", 0.2)
    return other.writer(15_000_000, 1)


def test_loads_one_after_another_are_all_indexed_once(wh: Path, staging: Path) -> None:
    for i in range(6):  # each load returns while its index commit is still queued
        load(wh, staging, run(f"run-{i}"), articles=[article(i, title=f"Ferry {i}")])
        if i == 4:  # a correction: one document still, with the new title
            load(wh, staging, run("fix"), articles=[article(0, title="Tunnel 0")])
    assert ids(search(wh, "ferry")) == [f"city-{i}" for i in range(1, 6)]
    assert ids(search(wh, "tunnel")) == ["city-0"]
    assert watermarks(wh) == (7, 7)
    index = open_index(wh, create=False)
    assert index is not None and index.searcher().num_docs == 6 + 1  # articles + watermark


def test_a_commit_blocked_by_another_writer_leaves_the_index_behind_then_caught_up(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    load(wh, staging, articles=[article(1, title="Bridge repair")])
    assert watermarks(wh) == (1, 1)
    holder = hold_the_writer_lock(wh, monkeypatch)
    report = load(wh, staging, run("run-2"), articles=[article(2, title="Bridge closed")])
    assert report.ok and report.loaded == 1  # the warehouse load does not depend on the index
    wait_for_index(wh)
    assert lane_for(wh).broken
    assert "another process holds the index's writer lock" in caplog.text
    assert watermarks(wh) == (1, 2)  # behind, and it says so: never ahead
    assert not stamp_matches(wh)  # so a search will look
    holder.rollback()
    del holder  # lets go of the lock
    report = load(wh, staging, run("run-3"), articles=[article(3, title="Bridge open")])
    assert watermarks(wh) == (3, 3)  # the next load caught up what was missing
    assert ids(search(wh, "bridge")) == ["city-1", "city-2", "city-3"]
    assert not lane_for(wh).broken


def test_a_load_with_nothing_staged_still_catches_up_an_index_left_behind(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(wh, staging, articles=[article(1, title="Library hours")])
    holder = hold_the_writer_lock(wh, monkeypatch)
    load(wh, staging, run("run-2"), articles=[article(2, title="Library closed")])
    assert watermarks(wh) == (1, 2)
    holder.rollback()
    del holder
    report = load_pending(wh, staging)  # a scheduled load that finds nothing staged
    assert report.ok and report.loaded == 0
    assert watermarks(wh) == (2, 2)
    assert stamp_matches(wh)


def test_a_search_catches_up_an_index_a_blocked_commit_left_behind(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(wh, staging, articles=[article(1, title="Harbor dredging")])
    holder = hold_the_writer_lock(wh, monkeypatch)
    load(wh, staging, run("run-2"), articles=[article(2, title="Harbor tour")])
    notes: list[str] = []
    # while the other writer still holds the lock, the search says so and reads what is there
    assert ids(search(wh, "harbor", on_note=notes.append)) == ["city-1"]
    assert notes and "indexing" in notes[0]
    holder.rollback()
    del holder
    assert ids(search(wh, "harbor")) == ["city-1", "city-2"]
    assert watermarks(wh) == (2, 2)


def test_a_loader_process_that_exits_has_committed_its_index(wh: Path, staging: Path) -> None:
    for i in range(3):
        stage_batch(staging, run=run(), articles=[article(n) for n in range(i * 5, i * 5 + 5)])
    out = wh.parent / "out.json"
    subprocess.run([sys.executable, str(CHILD), "load", wh, staging, out], check=True)
    assert stamp_matches(wh)  # the stamp came with the index commit: searches skip the check
    index = open_index(wh, create=False)
    assert index is not None and index_watermark(index) == 3
    assert index.searcher().num_docs == 15 + 1
    assert len(search(wh, "first", limit=50)) == 15


def test_a_load_after_the_index_was_committed_by_another_process_keeps_one_document_each(
    wh: Path, staging: Path
) -> None:
    load(wh, staging, articles=[article(1, title="Ferry")])
    stage_batch(staging, run=run("run-2"), articles=[article(1, title="Ferry late"), article(2)])
    subprocess.run(
        [sys.executable, str(CHILD), "load", wh, staging, wh.parent / "o.json"], check=True
    )
    load(wh, staging, run("run-3"), articles=[article(1, title="Ferry later")])
    assert load_pending(wh, staging).ok
    assert watermarks(wh) == (3, 3)
    index = open_index(wh, create=False)
    assert index is not None and index.searcher().num_docs == 2 + 1
    assert [h.title for h in search(wh, "ferry")] == ["Ferry later"]
