"""What the crawler needs to know before a run: known articles, HTTP validators, failures.

:func:`read_crawl_state` opens the warehouse read-only for a moment (a missing file gives an
empty state) and returns a :class:`CrawlState` for one source. With ``staging_dir`` it also
folds in batches staged but not loaded yet, so a run right after a postponed load does not
fetch everything again.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pyarrow.parquet as pq

from pressroom.core.articles import DateOrderEvidence, ListTemplate
from pressroom.core.crawl_state import CrawlState, FailedUrl, KnownArticle, PageState, Validators
from pressroom.warehouse.db import DEFAULT_LOCK_TIMEOUT, connect, holds_a_database
from pressroom.warehouse.migrate import applied_versions
from pressroom.warehouse.staging import pending_batches

__all__ = ["pending_state", "read_crawl_state"]


_ARTICLES_SQL = """
SELECT a.article_id, a.url, a.first_seen_at, a.last_seen_at, a.published_at, a.content_hash,
       a.canonical_url
FROM articles AS a WHERE a.source_id = ?
"""

_PAGE_ALIASES_SQL = """
SELECT p.url, p.final_url, p.article_id
FROM pages AS p WHERE p.source_id = ? AND p.article_id IS NOT NULL
"""

_VALIDATORS_SQL = """
SELECT url, etag, last_modified, status, fetched_at, archive_key, article_id
FROM pages WHERE source_id = ?
"""

_NON_ARTICLES_SQL = """
SELECT url, kind FROM pages
WHERE source_id = ? AND kind IS NOT NULL AND kind <> 'article' AND article_id IS NULL
"""

_BASELINE = 1
"""The migration that creates every table the state reads (001_baseline.sql)."""

_LAST_INGEST_SQL = """
SELECT started_at, status FROM runs
WHERE source_id = ? AND flow = 'ingest' ORDER BY started_at DESC LIMIT 1
"""

_DATE_EVIDENCE_SQL = """
SELECT coalesce(sum(date_day_first), 0)::INTEGER, coalesce(sum(date_month_first), 0)::INTEGER,
       arg_max(date_example, started_at) FILTER (WHERE date_example IS NOT NULL)
FROM runs WHERE source_id = ?
"""

_TEMPLATES_SQL = """
SELECT start_url, template::VARCHAR FROM list_templates WHERE source_id = ?
"""

_FAILURES_SQL = """
WITH ok AS (
    SELECT url, fetched_at FROM pages WHERE source_id = $source AND status IN (200, 304)
),
recent AS (
    SELECT e.* FROM fetch_errors AS e LEFT JOIN ok USING (url)
    WHERE e.source_id = $source AND (ok.fetched_at IS NULL OR e.occurred_at > ok.fetched_at)
)
SELECT
    url,
    count(DISTINCT run_id)::INTEGER AS runs,
    sum(attempts)::INTEGER AS attempts,
    arg_max({'status': status}, occurred_at).status AS last_status,
    arg_max(reason, occurred_at) AS last_reason,
    max(occurred_at) AS last_occurred_at,
    arg_max(stage, occurred_at) AS stage
FROM recent GROUP BY url
"""


def read_crawl_state(
    warehouse_path: str | os.PathLike[str],
    source_id: str,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    staging_dir: str | os.PathLike[str] | None = None,
) -> CrawlState:
    """Crawl state of ``source_id``; a missing warehouse gives an empty state.

    Opens read-only and closes before returning. Raises WarehouseLocked when a writer holds
    the file for longer than ``lock_timeout`` seconds.
    """
    articles: dict[str, KnownArticle] = {}
    validators: dict[str, Validators] = {}
    pages: dict[str, PageState] = {}
    failures: dict[str, FailedUrl] = {}
    templates: dict[str, ListTemplate] = {}
    non_articles: dict[str, str] = {}
    evidence = DateOrderEvidence()
    last: tuple[Any, ...] | None = None
    if holds_a_database(warehouse_path):
        with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
            schema = applied_versions(con)  # one query; a file can be older than any migration
            if _BASELINE not in schema:  # created by a run killed before its first migration
                return _with_staged(CrawlState(source_id), staging_dir, source_id)
            by_id: dict[str, KnownArticle] = {}
            for aid, url, first, last, pub, chash, canonical in con.execute(
                _ARTICLES_SQL, [source_id]
            ).fetchall():
                known = KnownArticle(aid, url, first, last, pub, chash)
                by_id[aid] = known
                articles[url] = known
                if canonical:
                    articles.setdefault(canonical, known)
            for url, final_url, aid in con.execute(_PAGE_ALIASES_SQL, [source_id]).fetchall():
                if aid in by_id:
                    articles.setdefault(url, by_id[aid])
                    if final_url:
                        articles.setdefault(final_url, by_id[aid])
            for url, etag, modified, status, fetched, key, aid in con.execute(
                _VALIDATORS_SQL, [source_id]
            ).fetchall():
                validators[url] = Validators(etag, modified)
                pages[url] = PageState(status, fetched, key, aid)
            for row in con.execute(_FAILURES_SQL, {"source": source_id}).fetchall():
                failures[row[0]] = FailedUrl(*row)
            last = con.execute(_LAST_INGEST_SQL, [source_id]).fetchone()
            for start_url, text in con.execute(_TEMPLATES_SQL, [source_id]).fetchall():
                templates[start_url] = _template(text)
            non_articles = dict(con.execute(_NON_ARTICLES_SQL, [source_id]).fetchall())
            day, month, example = con.execute(_DATE_EVIDENCE_SQL, [source_id]).fetchone()
            evidence = DateOrderEvidence(day, month, example)
    state = CrawlState(
        source_id,
        articles,
        validators,
        pages,
        failures,
        _pair(last),
        templates=_known(templates),
        non_articles=non_articles,
        date_evidence=evidence,
    )
    return _with_staged(state, staging_dir, source_id)


def _pair(row: tuple[Any, ...] | None) -> tuple[datetime, str] | None:
    return (row[0], row[1]) if row else None


def _latest(*runs: tuple[datetime, str] | None) -> tuple[datetime, str] | None:
    found = [r for r in runs if r is not None]
    return max(found, key=lambda r: r[0]) if found else None


def _template(text: str) -> ListTemplate | None:
    """A stored template, or None when it cannot be read (it is learned again)."""
    try:
        return ListTemplate.from_json(text)
    except ValueError:
        return None


def _known(templates: Mapping[str, ListTemplate | None]) -> dict[str, ListTemplate]:
    return {url: t for url, t in templates.items() if t is not None}


def _with_staged(
    state: CrawlState, staging_dir: str | os.PathLike[str] | None, source_id: str
) -> CrawlState:
    if staging_dir is None:
        return state
    return _merge(state, pending_state(staging_dir, source_id))


def _merge(base: CrawlState, staged: CrawlState) -> CrawlState:
    articles = dict(base.articles)
    for url, known in staged.articles.items():
        articles.setdefault(url, known)
    validators = {**base.validators, **staged.validators}
    pages = {**base.pages, **staged.pages}
    failures = {u: f for u, f in base.failures.items() if u not in staged.pages}
    last = _latest(base.last_ingest, staged.last_ingest)
    templates = {**base.templates, **staged.templates}
    non_articles = {u: k for u, k in base.non_articles.items() if u not in staged.pages}
    non_articles.update(staged.non_articles)
    return CrawlState(
        base.source_id,
        articles,
        validators,
        pages,
        failures,
        last,
        templates=templates,
        non_articles=non_articles,
        date_evidence=base.date_evidence.merged(staged.date_evidence),
    )


def pending_state(staging_dir: str | os.PathLike[str], source_id: str) -> CrawlState:
    """Articles, validators and pages of ``source_id`` in batches staged but not loaded yet.

    A staged 304 carries no validators: the URL keeps the ones it already has.
    """
    articles: dict[str, KnownArticle] = {}
    validators: dict[str, Validators] = {}
    pages: dict[str, PageState] = {}
    non_articles: dict[str, str] = {}
    runs: dict[str, tuple[datetime, str]] = {}  # run_id -> latest staged (started_at, status)
    templates: dict[str, ListTemplate | None] = {}
    evidence: dict[str, DateOrderEvidence] = {}  # run_id -> its latest staged counts
    for batch in pending_batches(staging_dir):
        try:
            run_file = batch / "run.parquet"
            if run_file.exists():
                for row in pq.read_table(run_file).to_pylist():
                    if row["source_id"] != source_id:
                        continue
                    if row["flow"] == "ingest":
                        runs[row["run_id"]] = (row["started_at"], row["status"])
                    evidence[row["run_id"]] = DateOrderEvidence(
                        row.get("date_day_first") or 0,
                        row.get("date_month_first") or 0,
                        row.get("date_example"),
                    )
            art = batch / "articles.parquet"
            if art.exists():
                for row in pq.read_table(art).to_pylist():
                    if row["source_id"] != source_id:
                        continue
                    known = KnownArticle(
                        row["article_id"],
                        row["url"],
                        row["fetched_at"],
                        row["fetched_at"],
                        row["published_at"],
                        row["content_hash"],
                    )
                    articles[row["url"]] = known
                    if row["canonical_url"]:
                        articles.setdefault(row["canonical_url"], known)
            page_file = batch / "pages.parquet"
            if page_file.exists():
                for row in pq.read_table(page_file).to_pylist():
                    if row["source_id"] != source_id:
                        continue
                    url = row["url"]
                    old = pages.get(url)
                    pages[url] = PageState(
                        row["status"],
                        row["fetched_at"],
                        row["archive_key"] or (old.archive_key if old else None),
                        row["article_id"] or (old.article_id if old else None),
                    )
                    if row["status"] != 304 or row["etag"] or row["last_modified"]:
                        validators[url] = Validators(row["etag"], row["last_modified"])
                    kind = row.get("kind")
                    if kind and kind != "article" and not row["article_id"]:
                        non_articles[url] = kind
                    elif kind or row["article_id"]:
                        non_articles.pop(url, None)
            template_file = batch / "templates.parquet"
            if template_file.exists():
                for row in pq.read_table(template_file).to_pylist():
                    if row["source_id"] == source_id:
                        templates[row["start_url"]] = _template(row["template"])
        except FileNotFoundError:
            continue  # loaded and removed while we were reading it
    return CrawlState(
        source_id,
        articles,
        validators,
        pages,
        {},
        _latest(*runs.values()),
        templates=_known(templates),
        non_articles=non_articles,
        date_evidence=functools.reduce(
            DateOrderEvidence.merged, evidence.values(), DateOrderEvidence()
        ),
    )
