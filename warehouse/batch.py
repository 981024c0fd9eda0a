"""One staged batch into the warehouse, in one transaction (the SQL of the loader).

See :mod:`pressroom.warehouse.load` for the order of the steps and what a crash at any point leaves.

**Good data is never replaced by worse.** A staged article whose stored row has a field the
new extraction lacks (see :data:`LOST_FIELDS_RULE`) is classified ``lost``, not ``updated``:
its ``articles`` row, paragraphs, images and attachments stay as they are (only
``last_seen_at`` moves: the page was there), no ``article_versions`` row is written (a version
is content the site published, not a failed extraction), and a ``fetch_errors`` row (stage
``extract``) names the lost fields. The page itself is archived and indexed in ``pages`` as
usual, so ``reparse`` reads it again once the extraction is fixed. The check is made here, in
the loader, rather than in the crawler from its crawl state: only the loader sees the stored
row for certain (a batch staged earlier, or by another run, may be loaded in between), and
reparse, which reads no crawl state, gets the same protection. The loader therefore also
counts these articles in ``runs.lost_fields`` and marks the run ``degraded`` when
:func:`pressroom.warehouse.history.lost_fields_alarm` says so (the run's status was decided before
its
load, from what the crawler could see).
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
from pressroom.warehouse.records import SCHEMAS

__all__ = [
    "BODY_LOST_BELOW",
    "LOST_FIELDS_RULE",
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

BODY_LOST_BELOW = 0.25
"""A new body of one paragraph shorter than this share of the stored one (in characters) counts
as lost: what a broken selector or an error page leaves (one caption, a "not found" line). A
shorter body of several paragraphs is a correction: real corrections can cut a release short,
and a person can always compare it with the archived page and the versions."""


def _lost(field: str, stored: str, new: str) -> str:
    """SQL: ``field`` when the stored article has a non-blank ``stored`` and ``new`` is blank."""
    return (
        f"CASE WHEN nullif(trim({stored}), '') IS NOT NULL"
        f" AND nullif(trim({new}), '') IS NULL THEN '{field}' END"
    )


LOST_FIELDS_RULE = (
    "A field is lost when the stored article has it and the new extraction does not: a title,"
    " author, origin or disclosure field (index_no, doc_no, issuer, topic, validity) that is now"
    " NULL or blank, a published_at or written_at that is now NULL, a body that"
    f" is now empty, or one paragraph shorter than {BODY_LOST_BELOW:.0%} of the stored body."
    " A value changed"
    " into another value (a date corrected to another date) is a correction, not a loss; a"
    " field absent before and present now is fine."
)

_CLASSIFY = f"""
INSERT INTO stg_change
SELECT
    article_id,
    CASE
        WHEN stored IS NULL THEN 'new'
        WHEN same THEN 'unchanged'
        WHEN len(lost) > 0 THEN 'lost'
        ELSE 'updated'
    END AS change,
    lost,
    CASE WHEN NOT same AND len(lost) > 0 THEN
        'extraction lost fields: '
        || replace(array_to_string(lost, ', '), 'body',
                   'body (' || new_len || ' of ' || stored_len || ' characters)')
        || '; stored values kept'
    END AS reason
FROM (
    SELECT
        s.article_id,
        a.article_id AS stored,
        a.content_hash = s.content_hash AS same,
        length(coalesce(a.body_text, '')) AS stored_len,
        length(coalesce(s.body_text, '')) AS new_len,
        list_filter([
            {_lost("title", "a.title", "s.title")},
            CASE WHEN a.published_at IS NOT NULL AND s.published_at IS NULL
                THEN 'published_at' END,
            CASE WHEN length(coalesce(a.body_text, '')) > 0
                AND (coalesce(s.body_text, '') = ''
                     OR (strpos(s.body_text, chr(10) || chr(10)) = 0
                         AND length(s.body_text) < {BODY_LOST_BELOW} * length(a.body_text)))
                THEN 'body' END,
            {_lost("author", "a.author", "s.author")},
            {_lost("origin", "a.origin", "s.origin")},
            {_lost("index_no", "a.index_no", "s.index_no")},
            {_lost("doc_no", "a.doc_no", "s.doc_no")},
            {_lost("issuer", "a.issuer", "s.issuer")},
            CASE WHEN a.written_at IS NOT NULL AND s.written_at IS NULL THEN 'written_at' END,
            {_lost("topic", "a.topic", "s.topic")},
            {_lost("validity", "a.validity", "s.validity")}
        ], lambda f: f IS NOT NULL) AS lost
    FROM stg_articles AS s
    LEFT JOIN (
        SELECT * FROM articles WHERE article_id IN (SELECT article_id FROM stg_articles)
    ) AS a USING (article_id)
)
"""
"""Every staged article against its stored row: new, unchanged, updated, or lost (kept). The
stored rows are narrowed to the batch's first: a join with all of ``articles`` read every
stored body at every batch (0.4 s a batch at 100,000 articles)."""

_ANY_STORED = (
    "SELECT count(*) FROM articles WHERE article_id IN (SELECT article_id FROM stg_articles)"
)
"""Reads only ``articles.article_id``: a few ms where :data:`_CLASSIFY` reads the stored rows."""

_CLASSIFY_ALL_NEW = (
    "INSERT INTO stg_change SELECT article_id, 'new', []::VARCHAR[], NULL FROM stg_articles"
)
""":data:`_CLASSIFY` for a batch none of whose articles is stored (most batches of a crawl)."""

_RECORD_LOST = """
INSERT INTO fetch_errors (source_id, url, stage, status, reason, attempts, run_id, occurred_at)
SELECT s.source_id, s.url, 'extract', p.status, c.reason, 1, $run_id, s.fetched_at
FROM stg_articles AS s
JOIN stg_change AS c USING (article_id)
LEFT JOIN (
    SELECT article_id, max(status) AS status FROM stg_pages
    WHERE article_id IS NOT NULL GROUP BY article_id
) AS p USING (article_id)
WHERE c.change = 'lost'
"""
"""A fetch_errors row per kept article; ``occurred_at`` is when its page was fetched, so the
URL does not count as failing since its last good fetch (the page itself was fine)."""

_MERGE_ARTICLES = """
MERGE INTO articles AS a
USING (
    SELECT s.*, c.change, $run_id AS run_id
    FROM stg_articles AS s JOIN stg_change AS c USING (article_id)
) AS s
ON a.article_id = s.article_id
WHEN MATCHED AND s.change = 'updated' THEN UPDATE SET
    source_id = s.source_id, url = s.url, title = s.title, published_at = s.published_at,
    author = s.author, origin = s.origin, language = s.language, body_text = s.body_text,
    content_hash = s.content_hash, last_seen_at = greatest(a.last_seen_at, s.fetched_at),
    run_id = s.run_id, updated_at = s.updated_at, lede = s.lede,
    canonical_url = s.canonical_url, warnings = s.warnings,
    extraction_rules = s.extraction_rules::JSON, index_no = s.index_no, doc_no = s.doc_no,
    issuer = s.issuer, written_at = s.written_at, topic = s.topic, validity = s.validity
WHEN MATCHED THEN UPDATE SET last_seen_at = greatest(a.last_seen_at, s.fetched_at)
WHEN NOT MATCHED THEN INSERT (
    article_id, source_id, url, title, published_at, author, origin, language, body_text,
    content_hash, first_seen_at, last_seen_at, run_id, updated_at, lede, canonical_url,
    warnings, extraction_rules, index_no, doc_no, issuer, written_at, topic, validity
) VALUES (
    s.article_id, s.source_id, s.url, s.title, s.published_at, s.author, s.origin, s.language,
    s.body_text, s.content_hash, s.fetched_at, s.fetched_at, s.run_id, s.updated_at, s.lede,
    s.canonical_url, s.warnings, s.extraction_rules::JSON, s.index_no, s.doc_no, s.issuer,
    s.written_at, s.topic, s.validity
)
"""

_INSERT_ARTICLES = """
INSERT INTO articles (
    article_id, source_id, url, title, published_at, author, origin, language, body_text,
    content_hash, first_seen_at, last_seen_at, run_id, updated_at, lede, canonical_url,
    warnings, extraction_rules, index_no, doc_no, issuer, written_at, topic, validity
)
SELECT
    article_id, source_id, url, title, published_at, author, origin, language, body_text,
    content_hash, fetched_at, fetched_at, $run_id, updated_at, lede, canonical_url, warnings,
    extraction_rules::JSON, index_no, doc_no, issuer, written_at, topic, validity
FROM stg_articles
"""
""":data:`_MERGE_ARTICLES` for a batch whose staged articles are all new: no join."""

_VERSION_COLUMNS = """(
    article_id, version, content_hash, url, title, published_at, updated_at, author, origin,
    language, lede, body_text, canonical_url, fetched_at, run_id, index_no, doc_no, issuer,
    written_at, topic, validity
)"""

_INSERT_VERSIONS = f"""
INSERT INTO article_versions {_VERSION_COLUMNS}
SELECT
    s.article_id,
    coalesce(m.max_version, 0) + 1,
    s.content_hash, s.url, s.title, s.published_at, s.updated_at, s.author, s.origin,
    s.language, s.lede, s.body_text, s.canonical_url, s.fetched_at, $run_id, s.index_no,
    s.doc_no, s.issuer, s.written_at, s.topic, s.validity
FROM stg_articles AS s
JOIN stg_change AS c USING (article_id)
LEFT JOIN (
    SELECT article_id, max(version) AS max_version
    FROM article_versions
    WHERE article_id IN (SELECT article_id FROM stg_change WHERE change = 'updated')
    GROUP BY article_id
) AS m USING (article_id)
WHERE c.change = 'new'
   OR (c.change = 'updated' AND NOT EXISTS (
        SELECT 1 FROM article_versions AS v
        WHERE v.article_id = s.article_id AND v.content_hash = s.content_hash))
"""

_INSERT_NEW_VERSIONS = f"""
INSERT INTO article_versions {_VERSION_COLUMNS}
SELECT
    s.article_id, 1, s.content_hash, s.url, s.title, s.published_at, s.updated_at, s.author,
    s.origin, s.language, s.lede, s.body_text, s.canonical_url, s.fetched_at, $run_id,
    s.index_no, s.doc_no, s.issuer, s.written_at, s.topic, s.validity
FROM stg_articles AS s JOIN stg_change AS c USING (article_id)
WHERE c.change = 'new'
"""
""":data:`_INSERT_VERSIONS` for a batch with no updated article: no lookup of old versions."""

_CHANGED = "(SELECT article_id FROM stg_change WHERE change IN ('new', 'updated'))"
_UPDATED = "(SELECT article_id FROM stg_change WHERE change = 'updated')"

_REPLACE_CHILDREN = [
    ("article_paragraphs", "article_id, position, text, $run_id", "paragraphs"),
    ("article_images", "article_id, position, src, alt, caption, $run_id", "images"),
    ("article_attachments", "article_id, position, url, text, $run_id", "attachments"),
]

_TOUCH_UNCHANGED = """
UPDATE articles SET last_seen_at = greatest(articles.last_seen_at, u.seen_at)
FROM (SELECT article_id, max(seen_at) AS seen_at FROM stg_unchanged GROUP BY 1) AS u
WHERE articles.article_id = u.article_id
"""

_MERGE_PAGES = """
MERGE INTO pages AS p
USING (SELECT *, $run_id AS run_id FROM stg_pages) AS s
ON p.url = s.url
WHEN MATCHED AND s.status = 304 THEN UPDATE SET
    source_id = s.source_id, status = 304, fetched_at = s.fetched_at, run_id = s.run_id,
    final_url = coalesce(s.final_url, p.final_url), etag = coalesce(s.etag, p.etag),
    last_modified = coalesce(s.last_modified, p.last_modified),
    archive_key = coalesce(s.archive_key, p.archive_key),
    article_id = coalesce(s.article_id, p.article_id),
    kind = coalesce(s.kind, p.kind), kind_reason = coalesce(s.kind_reason, p.kind_reason)
WHEN MATCHED THEN UPDATE SET
    source_id = s.source_id, status = s.status, fetched_at = s.fetched_at, run_id = s.run_id,
    final_url = s.final_url, etag = s.etag, last_modified = s.last_modified,
    archive_key = coalesce(s.archive_key, p.archive_key),
    article_id = CASE WHEN s.kind IS NOT NULL AND s.kind <> 'article' THEN NULL
                      ELSE coalesce(s.article_id, p.article_id) END,
    kind = coalesce(s.kind, p.kind),
    kind_reason = CASE WHEN s.kind IS NULL THEN p.kind_reason ELSE s.kind_reason END
WHEN NOT MATCHED THEN INSERT
    (url, source_id, final_url, status, etag, last_modified, fetched_at, archive_key,
     article_id, run_id, kind, kind_reason)
VALUES (s.url, s.source_id, s.final_url, s.status, s.etag, s.last_modified, s.fetched_at,
        s.archive_key, s.article_id, s.run_id, s.kind, s.kind_reason)
"""

_MERGE_TEMPLATES = """
INSERT OR REPLACE INTO list_templates (source_id, start_url, template, learned_at, run_id)
SELECT source_id, start_url, template::JSON, learned_at, $run_id FROM {templates}
"""

_MERGE_SOURCES = """
MERGE INTO sources AS t
USING (
    SELECT source_id, name, timezone, language, start_urls, true AS configured FROM stg_sources
    UNION ALL
    SELECT DISTINCT source_id, NULL, NULL, NULL, NULL, false FROM stg_articles
    WHERE source_id NOT IN (SELECT source_id FROM stg_sources)
) AS s
ON t.source_id = s.source_id
WHEN MATCHED AND s.configured THEN UPDATE SET
    name = s.name, timezone = s.timezone, language = s.language, start_urls = s.start_urls,
    updated_at = now()
WHEN NOT MATCHED THEN INSERT
    (source_id, name, timezone, language, start_urls, first_seen_at, updated_at)
VALUES (s.source_id, s.name, s.timezone, s.language, s.start_urls, now(), now())
"""

_MERGE_RUN = """
MERGE INTO runs AS r
USING (SELECT * FROM stg_run) AS s
ON r.run_id = s.run_id
WHEN MATCHED THEN UPDATE SET
    flow = s.flow, mode = s.mode, source_id = s.source_id, parameters = s.parameters::JSON,
    started_at = least(r.started_at, s.started_at), finished_at = s.finished_at,
    status = $status, listing_pages = s.listing_pages, articles_fetched = s.articles_fetched,
    articles_new = r.articles_new + $new, articles_updated = r.articles_updated + $updated,
    articles_unchanged = r.articles_unchanged + $unchanged, not_modified = s.not_modified,
    errors = s.errors, empty_bodies = s.empty_bodies, missing_dates = s.missing_dates,
    notes = $notes, lost_fields = r.lost_fields + $lost,
    not_articles = coalesce(s.not_articles, 0),
    uncertain_dates = coalesce(s.uncertain_dates, 0),
    date_disagreements = coalesce(s.date_disagreements, 0), date_order = s.date_order,
    date_day_first = coalesce(s.date_day_first, 0),
    date_month_first = coalesce(s.date_month_first, 0), date_example = s.date_example
WHEN NOT MATCHED THEN INSERT (
    run_id, flow, mode, source_id, parameters, started_at, finished_at, status, listing_pages,
    articles_fetched, articles_new, articles_updated, articles_unchanged, not_modified, errors,
    empty_bodies, missing_dates, notes, lost_fields, not_articles, uncertain_dates,
    date_disagreements, date_order, date_day_first, date_month_first, date_example
) VALUES (
    s.run_id, s.flow, s.mode, s.source_id, s.parameters::JSON, s.started_at, s.finished_at,
    $status, s.listing_pages, s.articles_fetched, $new, $updated, $unchanged,
    s.not_modified, s.errors, s.empty_bodies, s.missing_dates, $notes, $lost,
    coalesce(s.not_articles, 0), coalesce(s.uncertain_dates, 0), coalesce(s.date_disagreements, 0),
    s.date_order, coalesce(s.date_day_first, 0), coalesce(s.date_month_first, 0), s.date_example
)
"""


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
    con.execute(_INSERT_VERSIONS if updated else _INSERT_NEW_VERSIONS, run)
    for table, columns, name in _REPLACE_CHILDREN:
        if updated:
            con.execute(f"DELETE FROM {table} WHERE article_id IN {_UPDATED}")
        if name in present:
            where = "" if fresh else f" WHERE article_id IN {_CHANGED}"
            con.execute(
                f"INSERT INTO {table} SELECT {columns} FROM {_parquet(batch, name)}{where}", run
            )


_LOST_SAMPLES = """
SELECT
    (SELECT list_sort(list_distinct(flatten(list(lost)))) FROM stg_change WHERE change = 'lost'),
    (SELECT list(url ORDER BY url)[1:3] FROM stg_articles
     WHERE article_id IN (SELECT article_id FROM stg_change WHERE change = 'lost'))
"""


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
        fields, urls = con.execute(_LOST_SAMPLES).fetchall()[0]
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
        con.execute(_CLASSIFY if _scalar(con, _ANY_STORED) else _CLASSIFY_ALL_NEW)
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
            con.execute(_INSERT_ARTICLES, run)
        elif by_change:
            con.execute(_MERGE_ARTICLES, run)
        if counts.new or counts.updated:
            _load_changed(con, batch, present, by_change, run)
        if counts.lost:
            con.execute(_RECORD_LOST, run)
        if "unchanged" in present:
            con.execute(_TOUCH_UNCHANGED)
        if "pages" in present:
            con.execute(_MERGE_PAGES, run)
        if "errors" in present:
            con.execute("INSERT INTO fetch_errors BY NAME SELECT * FROM stg_errors")
        if {"sources", "articles"} & present:
            con.execute(_MERGE_SOURCES)
        if "templates" in present:
            con.execute(_MERGE_TEMPLATES.format(templates=_parquet(batch, "templates")), run)
        con.execute(
            _MERGE_RUN,
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
