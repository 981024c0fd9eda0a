"""What counts as a lost field, and the SQL that classifies a staged batch's articles against
their stored rows: new, unchanged, updated, or ``lost`` (kept), run by
:func:`pressroom.warehouse.batch.load_batch`.

**Good data is never replaced by worse.** A staged article whose stored row has a field the
new extraction lacks (see :data:`LOST_FIELDS_RULE`) is classified ``lost``, not ``updated``:
its ``articles`` row, paragraphs, images and attachments stay as they are (only
``last_seen_at`` moves: the page was there), no ``article_versions`` row is written (a version
is content the site published, not a failed extraction), and a ``fetch_errors`` row (stage
``extract``) names the lost fields. The page itself is archived and indexed in ``pages`` as
usual, so ``reparse`` reads it again once the extraction is fixed. The check is made in
the loader, rather than in the crawler from its crawl state: only the loader sees the stored
row for certain (a batch staged earlier, or by another run, may be loaded in between), and
reparse, which reads no crawl state, gets the same protection. The loader therefore also
counts these articles in ``runs.lost_fields`` and marks the run ``degraded`` when
:func:`pressroom.warehouse.history.lost_fields_alarm` says so (the run's status was decided
before its load, from what the crawler could see).
"""

from __future__ import annotations

__all__ = [
    "ANY_STORED",
    "BODY_LOST_BELOW",
    "CLASSIFY",
    "CLASSIFY_ALL_NEW",
    "LOST_FIELDS_RULE",
    "LOST_SAMPLES",
    "RECORD_LOST",
]


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

CLASSIFY = f"""
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

ANY_STORED = (
    "SELECT count(*) FROM articles WHERE article_id IN (SELECT article_id FROM stg_articles)"
)
"""Reads only ``articles.article_id``: a few ms where :data:`CLASSIFY` reads the stored rows."""

CLASSIFY_ALL_NEW = (
    "INSERT INTO stg_change SELECT article_id, 'new', []::VARCHAR[], NULL FROM stg_articles"
)
""":data:`CLASSIFY` for a batch none of whose articles is stored (most batches of a crawl)."""

RECORD_LOST = """
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


LOST_SAMPLES = """
SELECT
    (SELECT list_sort(list_distinct(flatten(list(lost)))) FROM stg_change WHERE change = 'lost'),
    (SELECT list(url ORDER BY url)[1:3] FROM stg_articles
     WHERE article_id IN (SELECT article_id FROM stg_change WHERE change = 'lost'))
"""
