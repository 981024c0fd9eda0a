"""Load staged batches into the warehouse: one transaction per batch, never a partial batch.

:func:`load_pending` takes the file lock (bounded wait), then loads every complete batch in
``staging_dir`` oldest first. Each batch goes in ONE transaction:

1. its Parquet files are read into temporary staging tables (bulk, no per-row statements);
2. each staged article is classified against ``articles`` by content hash: new, updated or
   unchanged, or ``lost`` when its extraction lacks a field the stored article has (a
   redesign, a broken selector, an error page served with 200): the stored article is kept
   as it is and a ``fetch_errors`` row names the lost fields (see :mod:`pressroom.warehouse.batch`);
3. ``articles`` is merged (MERGE INTO; a plain INSERT when all are new): new rows inserted,
   changed rows rewritten with ``first_seen_at`` kept, unchanged rows only get
   ``last_seen_at`` (so do kept ones); a new ``article_versions`` row is written for new and
   changed content;
   paragraphs, images and attachments are replaced for new and changed articles only;
4. 304s and identical re-fetches (SeenUnchanged) move ``last_seen_at``;
5. pages (validators, archive index) are merged, fetch errors appended, sources merged, and the
   runs row inserted or updated with the new/updated/unchanged/lost counts added (and its
   status ``degraded`` when many known articles lost fields);
6. the batch id is recorded in ``loaded_batches`` (with the next ``load_seq``), then the
   transaction commits.

The batch's new and changed articles go to the search index
(:mod:`pressroom.warehouse.search_index`) as soon as they are classified, from the staged
rows, so that tantivy's thread indexes them while DuckDB writes the batch; the index commits
them with the watermark after the last batch has committed, on the index's writer thread
(:mod:`pressroom.warehouse.index_writer`): the call returns while tantivy commits and merges,
and the next call's DuckDB work overlaps it. A batch that fails after that point is rolled
back in both: the feeder drops its documents and adds again what the warehouse holds beyond
the index's watermark.

Only then is the batch directory removed (renamed away first, then deleted). A process killed
at any point leaves either the whole batch in the warehouse (and ``loaded_batches`` says so:
the directory is simply removed next time) or none of it (the batch is loaded next time). Two
loaders at once are serialised by DuckDB's file lock; the second skips what the first loaded.
If the lock cannot be had within ``lock_timeout``, nothing is lost: batches stay staged and the
report says how many are pending.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pressroom.core.errors import WarehouseLocked
from pressroom.warehouse.batch import (
    BeforeCommitHook,
    RunCounts,
    create_staging_tables,
    load_batch,
)
from pressroom.warehouse.db import DEFAULT_LOCK_TIMEOUT, open_connection
from pressroom.warehouse.index_writer import (
    WRITER_TIMEOUT,
    IndexFeeder,
    bring_index_up_to_date,
    catch_up,
)
from pressroom.warehouse.search_index import (
    ARTICLE_COLUMNS,
    file_state,
    warehouse_watermark,
    write_stamp,
)
from pressroom.warehouse.staging import pending_batches

__all__ = ["LoadReport", "RunCounts", "load_batch", "load_pending"]

_STAGED_BY_CHANGE = (
    f"SELECT {ARTICLE_COLUMNS} FROM stg_articles"
    " WHERE article_id IN (SELECT article_id FROM stg_change WHERE change = ?)"
)
"""The batch's staged articles of one change (``new`` or ``updated``), as the index takes them:
what ``articles`` holds for them once the batch commits."""

log = logging.getLogger(__name__)

_FAILED_DIR = "_failed"
_STALE_TMP_SECONDS = 3600.0
_CHECKPOINT_THRESHOLD = "1MB"
"""Below one batch's size, so that each batch's commit is a checkpoint (see _LOADER_SETTINGS)."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_LOADER_THREADS = max(1, _cores() - 1)
"""DuckDB threads for a load: one core is left to the search index's writer thread, which
indexes each batch while the next one loads. On two cores, one DuckDB thread loads 7-9% more
articles a second than two (bench/warehouse.py, 30,000 articles: 5,115-5,162 against
4,687-4,808), which fight the index writer for the second core."""

_LOADER_SETTINGS = (
    f"SET threads = {_LOADER_THREADS}",
    # A commit whose WAL would pass the threshold is written straight into the database file
    # as a checkpoint, skipping the WAL: each row is written once, not once to the WAL and again
    # at the checkpoint when the connection closes.
    f"SET checkpoint_threshold = '{_CHECKPOINT_THRESHOLD}'",
    # No vacuum in those checkpoints. With it, DuckDB merges the small row groups that each
    # batch appends, pairwise as they double in size, and so rewrites (recompresses) every row
    # several times before its row group is full: half of all load time at 1,000 articles a
    # batch. Without it a table's row groups stay one batch long, which scans just as well;
    # the rows of superseded paragraphs stay as deletion marks (they are rare: corrections).
    "SET max_vacuum_tasks = 0",
    # Text is FSST-compressed again (DuckDB's default). Until the search postings left the
    # warehouse (issue 16) FSST was switched off to win load time; with them gone the
    # file is text, stored three times (articles, versions, paragraphs), and FSST is what
    # halves it (bench/warehouse.py, 20,000 articles, this machine: 197 MB without FSST,
    # 129 MB with it, warehouse part of the load 2,100-2,300 articles/s either way within noise).
)


@dataclass
class LoadReport:
    """What one :func:`load_pending` call did.

    ``loaded`` counts batches loaded now (their ids in ``batches``); ``skipped`` lists batches
    another loader had already loaded. ``pending`` counts batches still staged afterwards (all
    of them when the lock could not be had: ``locked`` is then set and ``message`` says who held
    it). ``failed`` maps batches that could not be loaded for another reason (moved to
    ``staging_dir/_failed/``) to the error. ``runs`` gives per-run_id article counts.
    """

    loaded: int = 0
    batches: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    pending: int = 0
    locked: bool = False
    message: str | None = None
    runs: dict[str, RunCounts] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every batch that was staged is now loaded."""
        return not self.locked and not self.failed and self.pending == 0

    def counts_for(self, run_id: str) -> dict[str, int]:
        """``articles_new``/``_updated``/``_unchanged`` and ``lost_fields`` loaded now for a run."""
        c = self.runs.get(run_id, RunCounts())
        return {
            "articles_new": c.new,
            "articles_updated": c.updated,
            "articles_unchanged": c.unchanged,
            "lost_fields": c.lost,
        }


# --------------------------------------------------------------------------- the directory


def _remove_batch(batch: Path) -> None:
    """Make the batch disappear atomically (rename), then delete its files."""
    gone = batch.with_name(f".done-{batch.name}")
    try:
        os.rename(batch, gone)
    except FileNotFoundError:
        return
    shutil.rmtree(gone, ignore_errors=True)


def _quarantine(batch: Path) -> Path:
    target = batch.parent / _FAILED_DIR / batch.name
    target.parent.mkdir(exist_ok=True)
    os.rename(batch, target)
    return target


def _clean_leftovers(staging_dir: Path) -> None:
    """Remove directories left by killed processes: removed batches and stale temp dirs."""
    now = time.time()
    for entry in staging_dir.iterdir():
        if entry.name.startswith(".done-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".tmp-"):
            try:
                stale = now - entry.stat().st_mtime > _STALE_TMP_SECONDS
            except FileNotFoundError:
                continue
            if stale:
                shutil.rmtree(entry, ignore_errors=True)


def load_pending(
    warehouse_path: str | os.PathLike[str],
    staging_dir: str | os.PathLike[str],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    before_commit: BeforeCommitHook | None = None,
) -> LoadReport:
    """Load every staged batch, oldest first, each in one transaction; see the module doc.

    Never raises because of the lock: a timeout leaves the batches staged and is reported.
    A batch that fails for another reason is moved to ``staging_dir/_failed/`` (move it back to
    load it again) and reported; the batches after it stay staged for the next call.
    """
    started = time.monotonic()
    report = LoadReport()
    staging = Path(staging_dir)
    if not pending_batches(staging):
        _index_what_was_loaded(warehouse_path, lock_timeout, report)
        return report
    try:
        con = open_connection(warehouse_path, lock_timeout=lock_timeout)
    except WarehouseLocked as exc:
        report.locked = True
        report.message = str(exc)
        report.pending = len(pending_batches(staging))
        report.seconds = time.monotonic() - started
        log.warning("load postponed, %d batch(es) stay staged: %s", report.pending, exc)
        return report
    feeder: IndexFeeder | None = None
    try:
        for setting in _LOADER_SETTINGS:
            con.execute(setting)
        create_staging_tables(con)
        _clean_leftovers(staging)
        feeder, _ = catch_up(con, warehouse_path)
        seen: set[str] = set()
        while True:
            batches = [b for b in pending_batches(staging) if b.name not in seen]
            if not batches:
                break
            for batch in batches:
                seen.add(batch.name)
                if not _load_one(con, batch, report, before_commit, feeder):
                    break
            if report.failed:
                break
        watermark = warehouse_watermark(con)
    except BaseException:
        if feeder is not None:
            feeder.discard()  # the index stays at its watermark; the next catch-up fills in
        raise
    finally:
        con.close()
    state = file_state(warehouse_path)
    feeder.commit(watermark, then=lambda: write_stamp(warehouse_path, state))
    report.pending = len(pending_batches(staging))
    report.seconds = time.monotonic() - started
    return report


def _index_what_was_loaded(
    warehouse_path: str | os.PathLike[str], lock_timeout: float, report: LoadReport
) -> None:
    """With nothing staged, still catch the index up (a loader killed after its warehouse
    commit and before its index commit leaves it behind); a lock only postpones it."""
    try:
        bring_index_up_to_date(
            warehouse_path, lock_timeout=lock_timeout, writer_timeout=WRITER_TIMEOUT
        )
    except WarehouseLocked as exc:
        log.warning("search index not caught up, the next load or search will: %s", exc)


def _load_one(
    con: duckdb.DuckDBPyConnection,
    batch: Path,
    report: LoadReport,
    before_commit: BeforeCommitHook | None,
    feeder: IndexFeeder,
) -> bool:
    """Load one batch and record the outcome; False when it failed (and was quarantined)."""
    fed: list[bool] = []

    def feed_index(con: duckdb.DuckDBPyConnection, counts: RunCounts) -> None:
        fed.append(True)
        if counts.new:  # not in the index yet: nothing to replace
            feeder.add_rows(con.execute(_STAGED_BY_CHANGE, ["new"]), replacing=False)
        if counts.updated:
            feeder.add_rows(con.execute(_STAGED_BY_CHANGE, ["updated"]))

    try:
        result = load_batch(con, batch, before_commit=before_commit, on_classified=feed_index)
    except FileNotFoundError:
        if fed:
            feeder.restart(con)  # drop the documents of the batch rolled back
        return True  # removed meanwhile by a loader that finished it
    except (duckdb.Error, OSError, ValueError, KeyError) as exc:
        if fed:
            feeder.restart(con)  # drop the documents of the batch rolled back
        where = _quarantine(batch)
        report.failed[batch.name] = f"{type(exc).__name__}: {exc}"
        log.error("batch %s could not be loaded, moved to %s: %s", batch.name, where, exc)
        return False
    if result is None:
        report.skipped.append(batch.name)
    else:
        run_id, counts = result
        report.loaded += 1
        report.batches.append(batch.name)
        report.runs.setdefault(run_id, RunCounts()).add(counts)
    _remove_batch(batch)
    return True
