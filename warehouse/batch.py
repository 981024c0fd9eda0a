"""One staged batch into the warehouse, in one transaction (the SQL of the loader).

See :mod:`pressroom.warehouse.load` for the order of the steps and what a crash at any point leaves.
What counts as lost, and the statements that classify a batch's articles, are in
:mod:`pressroom.warehouse.lost_fields` (good data is never replaced by worse); the statements
that write the batch are in :mod:`pressroom.warehouse.merge_sql`.

The batch's Parquet files that several statements read (articles, unchanged, pages, ...) are
copied into temporary ``stg_*`` tables whose columns come from
:data:`pressroom.warehouse.records.SCHEMAS`;
the bulky ones that one statement reads (paragraphs, images, attachments) are
read straight from their file by that statement. Statements with nothing to do are skipped.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from pressroom.warehouse.history import lost_fields_alarm
from pressroom.warehouse.lost_fields import (
    ANY_STORED,
    CLASSIFY,
    CLASSIFY_ALL_NEW,
    LOST_SAMPLES,
    RECORD_LOST,
)
from pressroom.warehouse.merge_sql import (
    CHANGED,
    INSERT_ARTICLES,
    INSERT_NEW_VERSIONS,
    INSERT_VERSIONS,
    MERGE_ARTICLES,
    MERGE_PAGES,
    MERGE_RUN,
    MERGE_SOURCES,
    MERGE_TEMPLATES,
    REPLACE_CHILDREN,
    TOUCH_UNCHANGED,
    UPDATED,
)
from pressroom.warehouse.records import SCHEMAS

__all__ = [
    "BeforeCommitHook",
    "ClassifiedHook",
    "RunCounts",
    "create_staging_tables",
    "load_batch",
]

log = logging.getLogger(__name__)

#: Called inside the transaction of every batch, just before COMMIT (tests use it to kill a
#: loader at the worst moment). Receives the batch directory.
BeforeCommitHook = Callable[[Path], None]

#: Called inside the transaction once the batch's articles are classified (``stg_change``
#: filled) and before anything is written, with the connection and the counts; the loader
#: hands the new and changed articles to the search index there, so that tantivy indexes them
#: while DuckDB writes the batch.
ClassifiedHook = Callable[[duckdb.DuckDBPyConnection, "RunCounts"], None]


@dataclass
class RunCounts:
    """Articles a run contributed, as classified by the loader."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    lost: int = 0
    """Articles whose new extraction lost stored fields: stored values kept."""

    def add(self, other: RunCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.lost += other.lost


# --------------------------------------------------------------------------- staging tables

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.timestamp("us", tz="UTC"): "TIMESTAMPTZ",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.list_(pa.int32()): "INTEGER[]",
    pa.uint64(): "UBIGINT",
    pa.date32(): "DATE",
}


_COPIED = ("run", "sources", "articles", "unchanged", "pages", "errors")
"""Staged tables that several statements read: copied once per batch into ``stg_<name>``."""


def create_staging_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or empty) the temporary ``stg_*`` tables on a warehouse connection."""
    for name in _COPIED:
        cols = ", ".join(f'"{f.name}" {_DUCK_TYPES[f.type]}' for f in SCHEMAS[name])
        con.execute(f"CREATE OR REPLACE TEMP TABLE stg_{name} ({cols})")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stg_change"
        " (article_id VARCHAR, change VARCHAR, lost VARCHAR[], reason VARCHAR)"
    )


def _parquet(batch: Path, name: str) -> str:
    """``read_parquet('<batch>/<name>.parquet')`` as SQL."""
    path = str(batch / f"{name}.parquet").replace("'", "''")
    return f"read_parquet('{path}')"


def _fill_staging_tables(con: duckdb.DuckDBPyConnection, batch: Path) -> set[str]:
    """Copy the batch's shared tables into ``stg_*``; return the names of its files."""
    present = {name for name in SCHEMAS if (batch / f"{name}.parquet").exists()}
    for name in _COPIED:
        con.execute(f"DELETE FROM stg_{name}")
        if name in present:
            con.execute(f"INSERT INTO stg_{name} BY NAME SELECT * FROM {_parquet(batch, name)}")
    return present


# --------------------------------------------------------------------------- one batch


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> object:
    return con.execute(sql, params).fetchall()[0][0]


def _load_changed(
    con: duckdb.DuckDBPyConnection,
    batch: Path,
    present: set[str],
    by_change: dict[str, int],
    run: dict[str, str],
) -> None:
    """Versions and children of the batch's new and updated articles."""
    updated = by_change.get("updated", 0)
    fresh = not (by_change.get("unchanged") or by_change.get("lost"))  # all new or updated
    con.execute(INSERT_VERSIONS if updated else INSERT_NEW_VERSIONS, run)
    for table, columns, name in REPLACE_CHILDREN:
        if updated:
            con.execute(f"DELETE FROM {table} WHERE article_id IN {UPDATED}")
        if name in present:
            where = "" if fresh else f" WHERE article_id IN {CHANGED}"
            con.execute(
                f"INSERT INTO {table} SELECT {columns} FROM {_parquet(batch, name)}{where}", run
            )


def _run_status(
    con: duckdb.DuckDBPyConnection, run_id: str, counts: RunCounts
) -> dict[str, str | None]:
    """The runs row's status and notes: the staged ones, degraded by the loss alarm.

    The alarm looks at the run's totals so far (its earlier batches included): articles that
    lost stored fields among the known articles it saw again (updated, unchanged, kept).
    """
    staged = con.execute("SELECT source_id, status, notes FROM stg_run").fetchall()
    if not staged:
        return {"status": None, "notes": None}
    source_id, status, notes = staged[0]
    before = con.execute(
        "SELECT articles_updated + articles_unchanged, lost_fields FROM runs WHERE run_id = ?",
        [run_id],
    ).fetchall()
    seen, lost = before[0] if before else (0, 0)
    lost += counts.lost
    seen += lost + counts.updated + counts.unchanged
    if counts.lost:
        fields, urls = con.execute(LOST_SAMPLES).fetchall()[0]
        log.warning(
            "%s: %d article(s) extracted again without stored fields (%s); stored values"
            " kept, e.g. %s",
            source_id,
            counts.lost,
            ", ".join(fields),
            ", ".join(urls),
        )
    if lost_fields_alarm(lost, seen):
        note = (
            f"{source_id}: {lost} of {seen} known articles seen again were extracted without"
            " fields the warehouse has (possible site redesign); stored values kept, see"
            " fetch_errors (stage extract)"
        )
        status = "degraded" if status == "completed" else status
        notes = f"{notes}; {note}" if notes else note
    return {"status": status, "notes": notes}


def load_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Path,
    *,
    before_commit: BeforeCommitHook | None = None,
    on_classified: ClassifiedHook | None = None,
) -> tuple[str, RunCounts] | None:
    """Load one batch directory in one transaction; None when it was loaded before.

    ``con`` must be a read-write warehouse connection with the staging tables created.
    """
    batch_id = batch.name
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    run_id = manifest["run_id"]
    con.execute("BEGIN TRANSACTION")
    try:
        if _scalar(con, "SELECT count(*) FROM loaded_batches WHERE batch_id = ?", [batch_id]):
            con.execute("ROLLBACK")
            return None
        present = _fill_staging_tables(con, batch)
        con.execute("DELETE FROM stg_change")
        con.execute(CLASSIFY if _scalar(con, ANY_STORED) else CLASSIFY_ALL_NEW)
        by_change = dict(
            con.execute("SELECT change, count(*) FROM stg_change GROUP BY 1").fetchall()
        )
        counts = RunCounts(
            new=by_change.get("new", 0),
            updated=by_change.get("updated", 0),
            unchanged=by_change.get("unchanged", 0),
            lost=by_change.get("lost", 0),
        )
        if "unchanged" in present:
            counts.unchanged += int(
                _scalar(
                    con,
                    "SELECT count(DISTINCT article_id) FROM stg_unchanged WHERE article_id IN"
                    " (SELECT article_id FROM articles) AND article_id NOT IN"
                    " (SELECT article_id FROM stg_articles)",
                )
            )
        if on_classified is not None and (counts.new or counts.updated):
            on_classified(con, counts)
        run = {"run_id": run_id}
        if counts.new and set(by_change) == {"new"}:
            con.execute(INSERT_ARTICLES, run)
        elif by_change:
            con.execute(MERGE_ARTICLES, run)
        if counts.new or counts.updated:
            _load_changed(con, batch, present, by_change, run)
        if counts.lost:
            con.execute(RECORD_LOST, run)
        if "unchanged" in present:
            con.execute(TOUCH_UNCHANGED)
        if "pages" in present:
            con.execute(MERGE_PAGES, run)
        if "errors" in present:
            con.execute("INSERT INTO fetch_errors BY NAME SELECT * FROM stg_errors")
        if {"sources", "articles"} & present:
            con.execute(MERGE_SOURCES)
        if "templates" in present:
            con.execute(MERGE_TEMPLATES.format(templates=_parquet(batch, "templates")), run)
        con.execute(
            MERGE_RUN,
            {
                "new": counts.new,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "lost": counts.lost,
                **_run_status(con, run_id, counts),
            },
        )
        mc = manifest.get("counts", {})
        con.execute(
            "INSERT INTO loaded_batches (batch_id, run_id, loaded_at, articles_new,"
            " articles_updated, articles_unchanged, pages, errors, lost_fields, load_seq)"
            " VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?,"
            " (SELECT coalesce(max(load_seq), 0) + 1 FROM loaded_batches))",
            [
                batch_id,
                run_id,
                counts.new,
                counts.updated,
                counts.unchanged,
                mc.get("pages", 0),
                mc.get("errors", 0),
                counts.lost,
            ],
        )
        if before_commit is not None:
            before_commit(batch)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return run_id, counts
