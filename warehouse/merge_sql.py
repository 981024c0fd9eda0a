"""The SQL that writes one classified batch (``stg_change`` filled) into the warehouse tables:
articles, versions, their children, pages, list templates, sources and the run, run by
:func:`pressroom.warehouse.batch.load_batch` inside its transaction. The plain variants
(``INSERT_ARTICLES``, ``INSERT_NEW_VERSIONS``) serve batches that need no join: all new, none
updated."""

from __future__ import annotations

__all__ = [
    "CHANGED",
    "INSERT_ARTICLES",
    "INSERT_NEW_VERSIONS",
    "INSERT_VERSIONS",
    "MERGE_ARTICLES",
    "MERGE_PAGES",
    "MERGE_RUN",
    "MERGE_SOURCES",
    "MERGE_TEMPLATES",
    "REPLACE_CHILDREN",
    "TOUCH_UNCHANGED",
    "UPDATED",
]


MERGE_ARTICLES = """
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

INSERT_ARTICLES = """
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
""":data:`MERGE_ARTICLES` for a batch whose staged articles are all new: no join."""

_VERSION_COLUMNS = """(
    article_id, version, content_hash, url, title, published_at, updated_at, author, origin,
    language, lede, body_text, canonical_url, fetched_at, run_id, index_no, doc_no, issuer,
    written_at, topic, validity
)"""

INSERT_VERSIONS = f"""
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

INSERT_NEW_VERSIONS = f"""
INSERT INTO article_versions {_VERSION_COLUMNS}
SELECT
    s.article_id, 1, s.content_hash, s.url, s.title, s.published_at, s.updated_at, s.author,
    s.origin, s.language, s.lede, s.body_text, s.canonical_url, s.fetched_at, $run_id,
    s.index_no, s.doc_no, s.issuer, s.written_at, s.topic, s.validity
FROM stg_articles AS s JOIN stg_change AS c USING (article_id)
WHERE c.change = 'new'
"""
""":data:`INSERT_VERSIONS` for a batch with no updated article: no lookup of old versions."""

CHANGED = "(SELECT article_id FROM stg_change WHERE change IN ('new', 'updated'))"
UPDATED = "(SELECT article_id FROM stg_change WHERE change = 'updated')"

REPLACE_CHILDREN = [
    ("article_paragraphs", "article_id, position, text, $run_id", "paragraphs"),
    ("article_images", "article_id, position, src, alt, caption, $run_id", "images"),
    ("article_attachments", "article_id, position, url, text, $run_id", "attachments"),
]

TOUCH_UNCHANGED = """
UPDATE articles SET last_seen_at = greatest(articles.last_seen_at, u.seen_at)
FROM (SELECT article_id, max(seen_at) AS seen_at FROM stg_unchanged GROUP BY 1) AS u
WHERE articles.article_id = u.article_id
"""

MERGE_PAGES = """
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

MERGE_TEMPLATES = """
INSERT OR REPLACE INTO list_templates (source_id, start_url, template, learned_at, run_id)
SELECT source_id, start_url, template::JSON, learned_at, $run_id FROM {templates}
"""

MERGE_SOURCES = """
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

MERGE_RUN = """
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
