-- Issue 5: analyst views.

CREATE VIEW latest_articles AS
SELECT
    a.article_id,
    a.source_id,
    coalesce(s.name, a.source_id) AS source_name,
    a.title,
    a.published_at,
    a.url,
    a.author,
    a.origin,
    a.language,
    a.lede,
    a.body_text,
    coalesce(v.versions, 1) AS versions,
    a.first_seen_at,
    a.last_seen_at,
    a.run_id
FROM articles AS a
LEFT JOIN sources AS s USING (source_id)
LEFT JOIN (
    SELECT article_id, count(*)::INTEGER AS versions FROM article_versions GROUP BY article_id
) AS v USING (article_id)
ORDER BY a.published_at DESC NULLS LAST, a.article_id;

COMMENT ON VIEW latest_articles IS 'Articles with their source name, newest publication first.';
COMMENT ON COLUMN latest_articles.article_id IS 'Stable identifier of the article.';
COMMENT ON COLUMN latest_articles.source_id IS 'The source of the article.';
COMMENT ON COLUMN latest_articles.source_name IS 'Display name of the source (its id when it has no name).';
COMMENT ON COLUMN latest_articles.title IS 'Headline.';
COMMENT ON COLUMN latest_articles.published_at IS 'Publication time (UTC instant).';
COMMENT ON COLUMN latest_articles.url IS 'URL the article was fetched from.';
COMMENT ON COLUMN latest_articles.author IS 'Author, when given.';
COMMENT ON COLUMN latest_articles.origin IS 'Issuing office, when given.';
COMMENT ON COLUMN latest_articles.language IS 'Language tag, when known.';
COMMENT ON COLUMN latest_articles.lede IS 'Standfirst, when given.';
COMMENT ON COLUMN latest_articles.body_text IS 'Body paragraphs joined by a blank line.';
COMMENT ON COLUMN latest_articles.versions IS 'Number of distinct contents seen (1 = never corrected).';
COMMENT ON COLUMN latest_articles.first_seen_at IS 'When pressroom first fetched the article.';
COMMENT ON COLUMN latest_articles.last_seen_at IS 'When pressroom last fetched or revalidated the article.';
COMMENT ON COLUMN latest_articles.run_id IS 'The run that wrote the current content.';

CREATE VIEW daily_counts AS
SELECT
    a.source_id,
    (a.published_at AT TIME ZONE coalesce(s.timezone, 'UTC'))::DATE AS day,
    count(*)::INTEGER AS articles
FROM articles AS a
LEFT JOIN sources AS s USING (source_id)
WHERE a.published_at IS NOT NULL
GROUP BY ALL
ORDER BY a.source_id, day;

COMMENT ON VIEW daily_counts IS 'Articles published per source and day (the day in the source time zone).';
COMMENT ON COLUMN daily_counts.source_id IS 'The source.';
COMMENT ON COLUMN daily_counts.day IS 'Publication day in the source time zone (UTC when unknown).';
COMMENT ON COLUMN daily_counts.articles IS 'Articles published that day.';

CREATE VIEW source_health AS
WITH ids AS (
    SELECT source_id FROM sources
    UNION SELECT DISTINCT source_id FROM articles
    UNION SELECT DISTINCT source_id FROM runs WHERE source_id IS NOT NULL
),
art AS (
    SELECT
        source_id,
        count(*) AS articles,
        max(published_at) AS newest_published_at,
        count(*) FILTER (WHERE coalesce(body_text, '') = '') AS empty_bodies,
        count(*) FILTER (WHERE published_at IS NULL) AS missing_dates
    FROM articles GROUP BY source_id
),
err AS (
    SELECT source_id, count(*) AS errors_30d
    FROM fetch_errors WHERE occurred_at >= now() - INTERVAL 30 DAY GROUP BY source_id
),
req AS (
    SELECT source_id, count(*) AS pages_30d
    FROM pages WHERE fetched_at >= now() - INTERVAL 30 DAY GROUP BY source_id
),
ok AS (
    SELECT source_id, max(coalesce(finished_at, started_at)) AS last_success_at
    FROM runs WHERE status IN ('completed', 'degraded') GROUP BY source_id
),
seen AS (
    SELECT source_id, max(last_seen_at) AS last_seen_at FROM articles GROUP BY source_id
)
SELECT
    ids.source_id,
    coalesce(s.name, ids.source_id) AS source_name,
    greatest(ok.last_success_at, seen.last_seen_at) AS last_success_at,
    art.newest_published_at,
    coalesce(art.articles, 0)::INTEGER AS articles,
    coalesce(err.errors_30d, 0)::INTEGER AS errors_30d,
    round(coalesce(err.errors_30d, 0)
          / nullif(coalesce(err.errors_30d, 0) + coalesce(req.pages_30d, 0), 0), 4) AS error_rate,
    round(art.empty_bodies / nullif(art.articles, 0), 4) AS empty_body_rate,
    round(art.missing_dates / nullif(art.articles, 0), 4) AS missing_date_rate
FROM ids
LEFT JOIN sources AS s USING (source_id)
LEFT JOIN art USING (source_id)
LEFT JOIN err USING (source_id)
LEFT JOIN req USING (source_id)
LEFT JOIN ok USING (source_id)
LEFT JOIN seen USING (source_id)
ORDER BY ids.source_id;

COMMENT ON VIEW source_health IS 'Per source: last success, newest article, 30-day error rate, empty-body and missing-date rates.';
COMMENT ON COLUMN source_health.source_id IS 'The source.';
COMMENT ON COLUMN source_health.source_name IS 'Display name of the source.';
COMMENT ON COLUMN source_health.last_success_at IS 'Latest successful run finish or article fetch for the source.';
COMMENT ON COLUMN source_health.newest_published_at IS 'Publication time of the newest article.';
COMMENT ON COLUMN source_health.articles IS 'Articles stored for the source.';
COMMENT ON COLUMN source_health.errors_30d IS 'fetch_errors rows in the last 30 days.';
COMMENT ON COLUMN source_health.error_rate IS 'errors_30d / (errors_30d + pages requested in the last 30 days).';
COMMENT ON COLUMN source_health.empty_body_rate IS 'Share of stored articles with an empty body.';
COMMENT ON COLUMN source_health.missing_date_rate IS 'Share of stored articles with no publication date.';
