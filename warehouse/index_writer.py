"""Writing the search index: one serial writer lane per index, so a loader never waits on it.

Committing a batch's documents to tantivy (about 100 ms) and waiting for the merges that
follow (100 ms and more, growing with the index) need no DuckDB and release the GIL. So every
writer operation on an index goes through its :class:`WriterLane`: one worker thread per index
directory in this process, running jobs in the order they were handed in (open a writer, add
documents, commit them with a watermark, write the stamp). A loader hands in a batch's commit
and goes on with the next batch's DuckDB transaction while the lane commits. A feeder that
needs its writer (the next batch's documents) just queues behind that commit.

Never ahead, never silently behind:

- A feeder made while a commit is queued starts from the watermark that commit will leave
  (:attr:`WriterLane.expected`); its first job checks that the index really holds it (or
  more: another process's writer may have got in first).
- A job that fails (tantivy's lock held too long by another process, a full disk) is logged;
  the rest of that feeder's jobs are skipped, its commit with them, so the index keeps its
  last watermark (behind, never ahead) and the lane is marked broken: the next
  :func:`catch_up`, by the next load or search, waits for the lane, reads the real watermark
  and indexes what is missing from the warehouse.
- Another process's writer holds tantivy's lock only while it commits: opening a writer
  retries for a while (:class:`IndexBusy` when it gives up).
- The lane's thread is not a daemon: the interpreter finishes queued commits before it exits
  (a kill leaves the index behind, which the next catch-up repairs). A forked child starts
  with no lanes. :func:`wait_for_index` waits for a lane to finish what it was handed; a
  search in this process calls it first.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from pathlib import Path
from typing import Any

import duckdb
import tantivy

from pressroom.core.errors import WarehouseLocked
from pressroom.warehouse.db import connect, holds_a_database
from pressroom.warehouse.search_index import (
    ARTICLE_COLUMNS,
    WATERMARK_ID,
    document,
    index_dir,
    index_watermark,
    open_index,
    stamp_matches,
    warehouse_watermark,
    write_stamp,
)

__all__ = [
    "IndexBusy",
    "IndexFeeder",
    "WriterLane",
    "bring_index_up_to_date",
    "catch_up",
    "lane_for",
    "rebuild",
    "wait_for_index",
]

log = logging.getLogger(__name__)

_WRITER_HEAP = 64_000_000
_CHUNK = 5_000
_ADDS_IN_FLIGHT = 2
"""Chunks of rows handed to the lane and not yet indexed: bounds memory during a full catch-up."""
WRITER_TIMEOUT = 30.0
"""Seconds a loader's writer waits for tantivy's lock held by another process's writer
(unless the feeder is given its own ``writer_timeout``)."""


class IndexBusy(WarehouseLocked):
    """Another process's writer held the search index's lock for longer than allowed."""


class WriterLane:
    """One index directory's writer thread in this process (see the module doc)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pressroom-index")
        self._last: Future[Any] | None = None
        self.expected: int | None = None
        """The watermark the index holds once the queued jobs are done (None: read it)."""
        self.broken = False
        """A job failed since the last real reading of the watermark."""

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """Queue ``job(*args)`` behind everything handed in before."""
        future = self._executor.submit(job, *args)
        self._last = future
        return future

    def busy(self) -> bool:
        """True while jobs handed in are still queued or running."""
        return self._last is not None and not self._last.done()

    def wait(self) -> None:
        """Block until every job handed in so far has run (failures are logged, not raised)."""
        if self._last is not None:
            wait_futures([self._last])


_LANES: dict[str, WriterLane] = {}
_LANES_LOCK = threading.Lock()
os.register_at_fork(after_in_child=_LANES.clear)


def _lane_key(warehouse_path: str | os.PathLike[str]) -> str:
    return os.path.abspath(index_dir(warehouse_path))


def lane_for(warehouse_path: str | os.PathLike[str]) -> WriterLane:
    """The writer lane of a warehouse's index (made on first use)."""
    key = _lane_key(warehouse_path)
    with _LANES_LOCK:
        lane = _LANES.get(key)
        if lane is None:
            lane = _LANES[key] = WriterLane(Path(key))
        return lane


def wait_for_index(warehouse_path: str | os.PathLike[str]) -> None:
    """Wait until this process's queued writes to the warehouse's index are done."""
    lane = _LANES.get(_lane_key(warehouse_path))
    if lane is not None:
        lane.wait()


def _open_writer(index: tantivy.Index, timeout: float) -> tantivy.IndexWriter:
    """A writer on ``index``, retrying while another process's writer holds the lock."""
    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        try:
            return index.writer(_WRITER_HEAP, 1)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise IndexBusy(
                    f"another process holds the index's writer lock; gave up after {timeout:.1f} s"
                ) from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


class IndexFeeder:
    """A writer on the index for one loader (or catch-up): add articles, then :meth:`commit`.

    Every writer operation runs on the index's :class:`WriterLane`; the calls return at once
    (but :meth:`add_rows` reads its cursor here, and ``commit(wait=True)`` waits). Hold a
    feeder only while holding the warehouse file (read-write, or read-only for a catch-up):
    DuckDB's lock then keeps a second feeder away. ``base`` is the watermark the index holds
    when the feeder's writer opens: what :meth:`restart` goes back to.
    """

    def __init__(
        self,
        index: tantivy.Index,
        base: int = 0,
        *,
        lane: WriterLane,
        writer_timeout: float | None = None,
    ) -> None:
        self.index = index
        self.base = base
        self.added = 0
        self.failed = False
        self.error: Exception | None = None
        """The first job's failure, if any (the jobs after it were skipped)."""
        self._lane = lane
        self._writer: tantivy.IndexWriter | None = None
        self._adds: deque[Future[Any]] = deque()
        self._run(self._open, WRITER_TIMEOUT if writer_timeout is None else writer_timeout)

    # -- jobs (run on the lane's thread, in order) ---------------------------------------

    def _run(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._lane.submit(self._guarded, job, args)

    def _guarded(self, job: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        if self.failed:
            return None
        try:
            return job(*args)
        except Exception as exc:
            self.failed = True
            self.error = exc
            self._lane.broken = True
            self._writer = None  # dropping it lets go of tantivy's lock
            log.error(
                "search index %s: %s; it stays at its last watermark and the next load or"
                " search catches it up",
                self._lane.directory,
                exc,
            )
            raise

    def _open(self, timeout: float) -> None:
        self._writer = _open_writer(self.index, timeout)
        held = index_watermark(self.index)
        if held < self.base:  # the commit this feeder was queued behind failed
            raise RuntimeError(f"index holds watermark {held}, not {self.base} as queued")
        # above it: another process's writer got in first; the documents this feeder adds
        # replace theirs, and its watermark is the warehouse's, read under the file's lock

    def _add(self, rows: list[tuple[Any, ...]], replacing: bool) -> None:
        assert self._writer is not None
        for row in rows:
            if replacing:
                self._writer.delete_documents_by_term("article_id", row[0])
            self._writer.add_document(document(row))

    def _delete_all(self) -> None:
        assert self._writer is not None
        self._writer.delete_all_documents()

    def _rollback(self) -> None:
        assert self._writer is not None
        self._writer.rollback()

    def _commit(self, watermark: int) -> None:
        writer = self._writer
        assert writer is not None
        writer.delete_documents_by_term("article_id", WATERMARK_ID)
        writer.add_document(tantivy.Document(article_id=WATERMARK_ID, load_seq=watermark))
        writer.commit()
        writer.wait_merging_threads()
        self._writer = None

    def _discard(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer.wait_merging_threads()
            self._writer = None

    # -- the loader's side -----------------------------------------------------------------

    def add_rows(self, cursor: duckdb.DuckDBPyConnection, *, replacing: bool = True) -> int:
        """Hand the lane the rows a query gave (columns as :data:`ARTICLE_COLUMNS`).

        ``replacing`` deletes each article's earlier document first; leave it off only for
        articles the index cannot hold yet (new in the warehouse: the index is never ahead).
        """
        added = 0
        while rows := cursor.fetchmany(_CHUNK):
            while len(self._adds) >= _ADDS_IN_FLIGHT:
                self._adds.popleft().exception()  # wait; a failure is logged by the job
            self._adds.append(self._run(self._add, rows, replacing))
            added += len(rows)
        self.added += added
        return added

    def add_query(self, con: duckdb.DuckDBPyConnection, where: str, params: object = None) -> int:
        """Index (replacing) the articles ``SELECT ... FROM articles WHERE <where>`` returns."""
        return self.add_rows(
            con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {where}", params)
        )

    def delete_all(self) -> None:
        """Drop every document (before adding the whole warehouse again)."""
        self._run(self._delete_all)

    def restart(self, con: duckdb.DuckDBPyConnection) -> None:
        """Drop what was added, then add again what the warehouse holds beyond :attr:`base`
        (after a batch whose documents were added failed to load)."""
        self._run(self._rollback)
        self.added = 0
        _add_missing(self, con, self.base, warehouse_watermark(con))

    def commit(
        self,
        watermark: int,
        *,
        wait: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Commit the added articles with the new watermark, merge, and let go of the writer.

        Queued on the lane; ``then`` runs after a successful commit (the stamp). ``wait``
        blocks until it is done and raises what failed.
        """
        self._lane.expected = watermark
        done = self._run(self._commit, watermark)
        if then is not None:
            done = self._run(then)
        if wait:
            done.result()
            if self.error is not None:  # an earlier job failed: the commit was skipped
                raise self.error

    def discard(self) -> None:
        """Drop what was added and let go of the writer (a load that stopped half-way)."""
        self._run(self._discard)


def _add_missing(feeder: IndexFeeder, con: duckdb.DuckDBPyConnection, have: int, want: int) -> None:
    """Add the articles of the runs loaded after watermark ``have`` (all when it is 0)."""
    if have == 0 and want > 0:
        feeder.delete_all()
        feeder.add_query(con, "true")
    elif have < want:
        feeder.add_query(
            con, "run_id IN (SELECT run_id FROM loaded_batches WHERE load_seq > ?)", [have]
        )


def catch_up(
    con: duckdb.DuckDBPyConnection,
    warehouse_path: str | os.PathLike[str],
    *,
    writer_timeout: float | None = None,
) -> tuple[IndexFeeder, int]:
    """A feeder that holds every article the index lacks; and the warehouse watermark.

    Behind: the articles of runs with batches loaded after the index's watermark are added
    (all articles when the index is empty or missing). Ahead (an older warehouse): rebuilt.
    Nothing is committed: the caller commits with the returned watermark.
    """
    lane = lane_for(warehouse_path)
    want = warehouse_watermark(con)
    if lane.busy() and not lane.broken and lane.expected is not None and lane.expected <= want:
        have = lane.expected  # what the queued commit leaves; the feeder's first job checks it
        index = open_index(warehouse_path, create=True)
    else:
        lane.wait()
        lane.broken = False
        index = open_index(warehouse_path, create=True)
        assert index is not None
        have = index_watermark(index)
        if have > want:
            log.warning("search index is ahead of the warehouse (%d > %d): rebuilding", have, want)
            index = _fresh_index(warehouse_path, lane)
            have = 0
    assert index is not None
    feeder = IndexFeeder(index, base=have, lane=lane, writer_timeout=writer_timeout)
    _add_missing(feeder, con, have, want)
    if feeder.added:
        log.info("search index caught up: %d article(s) indexed", feeder.added)
    return feeder, want


def bring_index_up_to_date(
    warehouse_path: str | os.PathLike[str], *, lock_timeout: float, writer_timeout: float
) -> None:
    """Catch the index up with the warehouse file if it changed since the last stamp.

    Reads the warehouse read-only; raises :class:`WarehouseLocked` when a loader holds it
    longer than ``lock_timeout`` and :class:`IndexBusy` when another process's writer holds
    the index longer than ``writer_timeout`` (the index then stays as it was).
    """
    wait_for_index(warehouse_path)  # this process's own loads: their commits first
    if stamp_matches(warehouse_path) or not holds_a_database(warehouse_path):
        return
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        index = open_index(warehouse_path, create=False)
        have = 0 if index is None else index_watermark(index)
        if index is None or have != warehouse_watermark(con):
            feeder, want = catch_up(con, warehouse_path, writer_timeout=writer_timeout)
            feeder.commit(want, wait=True)
        write_stamp(warehouse_path)


def _fresh_index(warehouse_path: str | os.PathLike[str], lane: WriterLane) -> tantivy.Index:
    lane.wait()
    shutil.rmtree(index_dir(warehouse_path), ignore_errors=True)
    index = open_index(warehouse_path, create=True)
    assert index is not None
    return index


def rebuild(con: duckdb.DuckDBPyConnection, warehouse_path: str | os.PathLike[str]) -> int:
    """Build the index anew from every article in the warehouse; return how many."""
    lane = lane_for(warehouse_path)
    feeder = IndexFeeder(_fresh_index(warehouse_path, lane), lane=lane)
    count = feeder.add_query(con, "true")
    feeder.commit(warehouse_watermark(con), wait=True)
    lane.broken = False
    return count
