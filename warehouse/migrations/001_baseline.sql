-- The warehouse schema in one migration (issue 16): what migrations 001-021 built, without
-- the search tables they added and later dropped (search is a tantivy index beside the file,
-- warehouse/search_index.py). Generated from a warehouse migrated through 021 and checked by
-- hand against those files: the same tables, columns, types, defaults, keys, views and
-- comments. From 021: articles, article_versions and pages have no PRIMARY KEY (each
-- checkpoint wrote every key's whole index again; the loader keeps the keys unique and
-- warehouse/integrity.py checks them), and the second and third copy of every body
-- (article_versions.body_text, article_paragraphs.text) is ZSTD-compressed.

CREATE TABLE article_attachments (
    article_id VARCHAR NOT NULL,
    "position" INTEGER NOT NULL,
    url VARCHAR NOT NULL,
    "text" VARCHAR,
    run_id VARCHAR NOT NULL
);

CREATE TABLE article_images (
    article_id VARCHAR NOT NULL,
    "position" INTEGER NOT NULL,
    src VARCHAR NOT NULL,
    alt VARCHAR,
    caption VARCHAR,
    run_id VARCHAR NOT NULL
);

CREATE TABLE article_paragraphs (
    article_id VARCHAR NOT NULL,
    "position" INTEGER NOT NULL,
    "text" VARCHAR USING COMPRESSION ZSTD NOT NULL,
    run_id VARCHAR NOT NULL
);

CREATE TABLE article_versions (
    article_id VARCHAR NOT NULL,
    "version" INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMP WITH TIME ZONE,
    updated_at TIMESTAMP WITH TIME ZONE,
    author VARCHAR,
    origin VARCHAR,
    "language" VARCHAR,
    lede VARCHAR,
    body_text VARCHAR USING COMPRESSION ZSTD,
    canonical_url VARCHAR,
    fetched_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR NOT NULL,
    index_no VARCHAR,
    doc_no VARCHAR,
    issuer VARCHAR,
    written_at DATE,
    topic VARCHAR,
    validity VARCHAR
);

CREATE TABLE articles (
    article_id VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMP WITH TIME ZONE,
    author VARCHAR,
    origin VARCHAR,
    "language" VARCHAR,
    body_text VARCHAR,
    content_hash VARCHAR NOT NULL,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE,
    lede VARCHAR,
    canonical_url VARCHAR,
    warnings VARCHAR[],
    extraction_rules JSON,
    index_no VARCHAR,
    doc_no VARCHAR,
    issuer VARCHAR,
    written_at DATE,
    topic VARCHAR,
    validity VARCHAR
);

CREATE TABLE fetch_errors (
    source_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    status INTEGER,
    reason VARCHAR NOT NULL,
    attempts INTEGER DEFAULT(1) NOT NULL,
    run_id VARCHAR NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE list_templates (
    source_id VARCHAR,
    start_url VARCHAR,
    "template" JSON NOT NULL,
    learned_at TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id VARCHAR NOT NULL,
    PRIMARY KEY(source_id, start_url)
);

CREATE TABLE loaded_batches (
    batch_id VARCHAR PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    articles_new INTEGER NOT NULL,
    articles_updated INTEGER NOT NULL,
    articles_unchanged INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    lost_fields INTEGER DEFAULT(0) NOT NULL,
    load_seq BIGINT
);

CREATE TABLE pages (
    url VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    final_url VARCHAR,
    status INTEGER NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    fetched_at TIMESTAMP WITH TIME ZONE NOT NULL,
    archive_key VARCHAR,
    article_id VARCHAR,
    run_id VARCHAR NOT NULL,
    kind VARCHAR,
    kind_reason VARCHAR
);

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    flow VARCHAR NOT NULL,
    "mode" VARCHAR NOT NULL,
    source_id VARCHAR,
    parameters JSON,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    status VARCHAR NOT NULL,
    listing_pages INTEGER DEFAULT(0) NOT NULL,
    articles_fetched INTEGER DEFAULT(0) NOT NULL,
    articles_new INTEGER DEFAULT(0) NOT NULL,
    articles_updated INTEGER DEFAULT(0) NOT NULL,
    articles_unchanged INTEGER DEFAULT(0) NOT NULL,
    not_modified INTEGER DEFAULT(0) NOT NULL,
    errors INTEGER DEFAULT(0) NOT NULL,
    empty_bodies INTEGER DEFAULT(0) NOT NULL,
    missing_dates INTEGER DEFAULT(0) NOT NULL,
    notes VARCHAR,
    lost_fields INTEGER DEFAULT(0) NOT NULL,
    not_articles INTEGER DEFAULT(0) NOT NULL,
    uncertain_dates INTEGER DEFAULT(0) NOT NULL,
    date_disagreements INTEGER DEFAULT(0) NOT NULL,
    date_order VARCHAR,
    date_day_first INTEGER DEFAULT(0) NOT NULL,
    date_month_first INTEGER DEFAULT(0) NOT NULL,
    date_example VARCHAR
);

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    "name" VARCHAR,
    timezone VARCHAR,
    "language" VARCHAR,
    start_urls VARCHAR[],
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

COMMENT ON TABLE article_attachments IS 'Documents (pdf, doc, xls, zip, ofd, ...) linked from the current content of each article; key (article_id, position).';
COMMENT ON TABLE article_images IS 'Images in the body of the current content of each article; key (article_id, position).';
COMMENT ON TABLE article_paragraphs IS 'Body paragraphs of the current content of each article, in order; key (article_id, position).';
COMMENT ON TABLE article_versions IS 'One row per distinct content of an article: the first fetch and every correction.';
COMMENT ON TABLE articles IS 'One row per article, holding its current content; earlier contents are in article_versions.';
COMMENT ON TABLE fetch_errors IS 'One row per failed request or extraction, per run.';
COMMENT ON TABLE list_templates IS 'Learned row template of each listing (source and start URL): which anchors are the article list and where the date sits in a row; re-learned when a redesign breaks it.';
COMMENT ON TABLE loaded_batches IS 'Staged batches already loaded, written in the same transaction as their rows: a batch seen again is skipped.';
COMMENT ON TABLE pages IS 'Index of the raw archive and HTTP validators: the latest response for every URL requested (listing, feed, sitemap, article).';
COMMENT ON TABLE runs IS 'One row per pipeline run (or per source within a run): what it was asked to do, how it ended and what it found.';
COMMENT ON TABLE sources IS 'Newsrooms pressroom has loaded articles from, as last configured.';
COMMENT ON COLUMN article_attachments.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_attachments.position IS 'Order of the link in the body, starting at 1.';
COMMENT ON COLUMN article_attachments.url IS 'Absolute URL of the document.';
COMMENT ON COLUMN article_attachments.text IS 'Link text, when given.';
COMMENT ON COLUMN article_attachments.run_id IS 'The run that wrote the row.';
COMMENT ON COLUMN article_images.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_images.position IS 'Order of the image in the body, starting at 1.';
COMMENT ON COLUMN article_images.src IS 'Absolute image URL.';
COMMENT ON COLUMN article_images.alt IS 'alt text, when given.';
COMMENT ON COLUMN article_images.caption IS 'Caption (figcaption or equivalent), when given.';
COMMENT ON COLUMN article_images.run_id IS 'The run that wrote the row.';
COMMENT ON COLUMN article_paragraphs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_paragraphs.position IS 'Order of the paragraph in the body, starting at 1.';
COMMENT ON COLUMN article_paragraphs.text IS 'Paragraph text, whitespace normalised.';
COMMENT ON COLUMN article_paragraphs.run_id IS 'The run that wrote the paragraph.';
COMMENT ON COLUMN article_versions.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_versions.version IS 'Version number, 1 for the first content seen, then 2, 3, ...';
COMMENT ON COLUMN article_versions.content_hash IS 'Content hash of this version (see articles.content_hash).';
COMMENT ON COLUMN article_versions.url IS 'URL this version was fetched from.';
COMMENT ON COLUMN article_versions.title IS 'Headline in this version.';
COMMENT ON COLUMN article_versions.published_at IS 'Publication time in this version (UTC instant).';
COMMENT ON COLUMN article_versions.updated_at IS 'Last-modified time stated by the page in this version.';
COMMENT ON COLUMN article_versions.author IS 'Author in this version.';
COMMENT ON COLUMN article_versions.origin IS 'Issuing office in this version.';
COMMENT ON COLUMN article_versions.language IS 'Language tag in this version.';
COMMENT ON COLUMN article_versions.lede IS 'Standfirst in this version.';
COMMENT ON COLUMN article_versions.body_text IS 'Body paragraphs of this version joined by a blank line.';
COMMENT ON COLUMN article_versions.canonical_url IS 'rel=canonical URL in this version.';
COMMENT ON COLUMN article_versions.fetched_at IS 'When this content was first fetched.';
COMMENT ON COLUMN article_versions.run_id IS 'The run that found this content.';
COMMENT ON COLUMN article_versions.index_no IS 'Index number (索引号) in this version; see articles.index_no.';
COMMENT ON COLUMN article_versions.doc_no IS 'Document number (发文字号) in this version; see articles.doc_no.';
COMMENT ON COLUMN article_versions.issuer IS 'Issuing authority (发文机关) in this version; see articles.issuer.';
COMMENT ON COLUMN article_versions.written_at IS 'Written date (成文日期) in this version; see articles.written_at.';
COMMENT ON COLUMN article_versions.topic IS 'Subject classification (主题分类) in this version; see articles.topic.';
COMMENT ON COLUMN article_versions.validity IS 'Validity (有效性) in this version; a change (有效 to 失效) is a new version.';
COMMENT ON COLUMN articles.article_id IS 'Stable identifier of the article (derived by the crawler from its normalised URL).';
COMMENT ON COLUMN articles.source_id IS 'The source (newsroom) the article belongs to; see sources.';
COMMENT ON COLUMN articles.url IS 'URL the article was fetched from.';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC instant; dates without an offset were read in the source time zone).';
COMMENT ON COLUMN articles.author IS 'Author or issuing person, when the page names one.';
COMMENT ON COLUMN articles.origin IS 'Issuing office or original publisher (for example 来源: ...), when given.';
COMMENT ON COLUMN articles.language IS 'Language tag of the article (en, zh, ...), when known.';
COMMENT ON COLUMN articles.body_text IS 'Body paragraphs joined by a blank line.';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of title, published_at, author, origin and paragraphs, plus the disclosure fields (index_no, doc_no, issuer, written_at, topic, validity) when the page has any: a change means a new version.';
COMMENT ON COLUMN articles.first_seen_at IS 'When pressroom first fetched the article.';
COMMENT ON COLUMN articles.last_seen_at IS 'When pressroom last fetched or revalidated the article.';
COMMENT ON COLUMN articles.run_id IS 'The run that wrote the current content.';
COMMENT ON COLUMN articles.updated_at IS 'Last-modified time the page itself states, when it gives one.';
COMMENT ON COLUMN articles.lede IS 'Standfirst or summary shown above the body, when the page has one.';
COMMENT ON COLUMN articles.canonical_url IS 'Same-site rel=canonical URL of the article, when given.';
COMMENT ON COLUMN articles.warnings IS 'Extraction warnings (no date found, selector matched nothing, ...).';
COMMENT ON COLUMN articles.extraction_rules IS 'JSON object: field name -> rule that produced it (json-ld, meta:..., selector, density; for `paragraphs` the body cascade''s step: selector, site:..., hanweb:ContentStart, density, density+lede, second-choice, json-ld, page-state, paragraph-run).';
COMMENT ON COLUMN articles.index_no IS 'Disclosure pages (政府信息公开): the index number (索引号), e.g. 11330100002489123X/2023-00015; NULL elsewhere.';
COMMENT ON COLUMN articles.doc_no IS 'Disclosure pages: the document number (发文字号, 文号), e.g. 临政办发〔2023〕5号; NULL elsewhere.';
COMMENT ON COLUMN articles.issuer IS 'Disclosure pages: the issuing authority (发文机关, 发布机构); NULL elsewhere.';
COMMENT ON COLUMN articles.written_at IS 'Disclosure pages: the date the document was written or signed (成文日期, 印发日期), a calendar date; not the publication date, which is published_at (发布日期).';
COMMENT ON COLUMN articles.topic IS 'Disclosure pages: the subject classification (主题分类, 分类) as the page writes it; NULL elsewhere.';
COMMENT ON COLUMN articles.validity IS 'Disclosure pages: validity as the page states it (有效性: 有效, 失效, 废止, ...); NULL elsewhere.';
COMMENT ON COLUMN fetch_errors.source_id IS 'The source the URL belongs to.';
COMMENT ON COLUMN fetch_errors.url IS 'The URL that failed.';
COMMENT ON COLUMN fetch_errors.stage IS 'Where it failed: robots, listing, feed, sitemap, article, extract (extract also when an extraction lost fields the stored article has, which were kept), ...';
COMMENT ON COLUMN fetch_errors.status IS 'HTTP status of the last attempt; NULL for connection errors and timeouts.';
COMMENT ON COLUMN fetch_errors.reason IS 'Short human-readable cause.';
COMMENT ON COLUMN fetch_errors.attempts IS 'Requests sent for this URL in this run (retries included).';
COMMENT ON COLUMN fetch_errors.run_id IS 'The run that hit the error.';
COMMENT ON COLUMN fetch_errors.occurred_at IS 'When the last attempt failed (UTC).';
COMMENT ON COLUMN list_templates.source_id IS 'The source.';
COMMENT ON COLUMN list_templates.start_url IS 'The start URL (as configured) whose listing pages the template reads.';
COMMENT ON COLUMN list_templates.template IS 'JSON object: signature (tag.class path of the row anchors from the root), row_depth (levels from anchor up to its row), date_path (tag.class path from the row to its date, or null), version.';
COMMENT ON COLUMN list_templates.learned_at IS 'When the template was learned (or last re-learned).';
COMMENT ON COLUMN list_templates.run_id IS 'The run that learned it.';
COMMENT ON COLUMN loaded_batches.batch_id IS 'Name of the staged batch directory (sortable by staging time).';
COMMENT ON COLUMN loaded_batches.run_id IS 'The run that staged the batch.';
COMMENT ON COLUMN loaded_batches.loaded_at IS 'When the batch was loaded.';
COMMENT ON COLUMN loaded_batches.articles_new IS 'Articles in the batch that were new.';
COMMENT ON COLUMN loaded_batches.articles_updated IS 'Articles in the batch whose content changed.';
COMMENT ON COLUMN loaded_batches.articles_unchanged IS 'Articles in the batch seen again unchanged (304s included).';
COMMENT ON COLUMN loaded_batches.pages IS 'Page (validator) rows in the batch.';
COMMENT ON COLUMN loaded_batches.errors IS 'fetch_errors rows in the batch.';
COMMENT ON COLUMN loaded_batches.lost_fields IS 'Articles in the batch whose extraction lost stored fields (stored values kept).';
COMMENT ON COLUMN loaded_batches.load_seq IS 'Order in which the batch was loaded (1, 2, ...); the search index records the highest it holds.';
COMMENT ON COLUMN pages.url IS 'The URL requested (normalised).';
COMMENT ON COLUMN pages.source_id IS 'The source the URL belongs to.';
COMMENT ON COLUMN pages.final_url IS 'URL after redirects, when it differs.';
COMMENT ON COLUMN pages.status IS 'HTTP status of the latest response (200, 304, ...).';
COMMENT ON COLUMN pages.etag IS 'ETag of the latest body, sent back as If-None-Match.';
COMMENT ON COLUMN pages.last_modified IS 'Last-Modified of the latest body, sent back as If-Modified-Since.';
COMMENT ON COLUMN pages.fetched_at IS 'When the URL was last requested (a 304 counts).';
COMMENT ON COLUMN pages.archive_key IS 'Key of the latest archived body in the raw archive; kept across 304 answers.';
COMMENT ON COLUMN pages.article_id IS 'The article the page holds; NULL for listing, feed and sitemap pages and for pages that are not articles (see kind).';
COMMENT ON COLUMN pages.run_id IS 'The run that made the latest request.';
COMMENT ON COLUMN pages.kind IS 'What the page is: article, landing (landing, section, department, tag, search or contact page), soft_404 (a not-found page answered 200) or document (a PDF or other file); NULL for listing, feed and sitemap pages.';
COMMENT ON COLUMN pages.kind_reason IS 'The evidence for kind, in a few words (og:type=article, no date and 40 links, title ''Page not found'', PDF served as application/pdf, ...).';
COMMENT ON COLUMN runs.run_id IS 'Identifier of the run; every row a run writes carries it.';
COMMENT ON COLUMN runs.flow IS 'Name of the flow that ran (ingest, backfill, reparse, ...).';
COMMENT ON COLUMN runs.mode IS 'scheduled, manual, backfill or reparse.';
COMMENT ON COLUMN runs.source_id IS 'The source this run covered; NULL when it covered several.';
COMMENT ON COLUMN runs.parameters IS 'The run parameters as JSON (source ids, date range, flags).';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'When the run finished (UTC); NULL while it is running.';
COMMENT ON COLUMN runs.status IS 'running, completed, failed, degraded or partial.';
COMMENT ON COLUMN runs.listing_pages IS 'Listing, feed and sitemap pages fetched.';
COMMENT ON COLUMN runs.articles_fetched IS 'Article pages fetched with a body (HTTP 200).';
COMMENT ON COLUMN runs.articles_new IS 'Articles loaded for the first time (counted by the loader).';
COMMENT ON COLUMN runs.articles_updated IS 'Articles whose content changed: a new version was stored (counted by the loader).';
COMMENT ON COLUMN runs.articles_unchanged IS 'Articles seen again with identical content or answered 304 (counted by the loader).';
COMMENT ON COLUMN runs.not_modified IS 'Requests answered 304 Not Modified.';
COMMENT ON COLUMN runs.errors IS 'Failed requests or extractions counted by the crawler (rows in fetch_errors; the loader adds lost_fields rows of its own).';
COMMENT ON COLUMN runs.empty_bodies IS 'Articles extracted with no body paragraphs.';
COMMENT ON COLUMN runs.missing_dates IS 'Articles extracted with no publication date.';
COMMENT ON COLUMN runs.notes IS 'Free text: why the run is degraded or partial, batches left staged, ...';
COMMENT ON COLUMN runs.lost_fields IS 'Articles extracted again without a field the stored article has (title, published_at, body, author, origin, or a disclosure field: index_no, doc_no, issuer, written_at, topic, validity; a body that is empty, or one paragraph under a quarter of the stored length, counts as lost): the stored values were kept, no version was written, and each has a fetch_errors row (stage extract). Counted by the loader; when they are at least half of the 5 or more known articles the run saw again, the run is degraded.';
COMMENT ON COLUMN runs.not_articles IS 'Pages fetched as article candidates that were not articles (landing, soft_404 or document: see pages.kind); recorded in pages, not loaded into articles and not requested again by later runs except with --recheck.';
COMMENT ON COLUMN runs.uncertain_dates IS 'Backfill: article links kept although their listing date was missing, ambiguous (a numeric date whose order only language or time zone decided) or within a day of the window''s edges; the article page''s own date kept or dropped them.';
COMMENT ON COLUMN runs.date_disagreements IS 'Articles whose page names another day than their listing row: the page''s date was kept.';
COMMENT ON COLUMN runs.date_order IS 'How numeric dates of the source were read after the listing walk: DMY, MDY or YMD and the evidence that decided (config, page, source, html-lang, language, timezone, default).';
COMMENT ON COLUMN runs.date_day_first IS 'Unambiguous day-first numeric dates (a first field above 12, 15/03/2023) on the listing pages this run read.';
COMMENT ON COLUMN runs.date_month_first IS 'Unambiguous month-first numeric dates (a second field above 12, 03/15/2023) on the listing pages this run read.';
COMMENT ON COLUMN runs.date_example IS 'One of those unambiguous dates as printed, for messages (NULL when the run saw none).';
COMMENT ON COLUMN sources.source_id IS 'Identifier of the source (the id key in pressroom.toml).';
COMMENT ON COLUMN sources.name IS 'Display name of the source; NULL when the config gives none.';
COMMENT ON COLUMN sources.timezone IS 'IANA time zone applied to dates that carry no offset.';
COMMENT ON COLUMN sources.language IS 'Default language of the source, when configured.';
COMMENT ON COLUMN sources.start_urls IS 'Listing pages the crawl starts from.';
COMMENT ON COLUMN sources.first_seen_at IS 'When the source was first loaded.';
COMMENT ON COLUMN sources.updated_at IS 'When this row was last written.';

-- Analyst views (from 004).

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
