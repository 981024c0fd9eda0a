-- Warehouse v1 (issue 2): articles, their paragraphs, runs and fetch errors.

CREATE TABLE runs (
    run_id             VARCHAR PRIMARY KEY,
    flow               VARCHAR NOT NULL,
    mode               VARCHAR NOT NULL,
    source_id          VARCHAR,
    parameters         JSON,
    started_at         TIMESTAMPTZ NOT NULL,
    finished_at        TIMESTAMPTZ,
    status             VARCHAR NOT NULL,
    listing_pages      INTEGER NOT NULL DEFAULT 0,
    articles_fetched   INTEGER NOT NULL DEFAULT 0,
    articles_new       INTEGER NOT NULL DEFAULT 0,
    articles_updated   INTEGER NOT NULL DEFAULT 0,
    articles_unchanged INTEGER NOT NULL DEFAULT 0,
    not_modified       INTEGER NOT NULL DEFAULT 0,
    errors             INTEGER NOT NULL DEFAULT 0,
    empty_bodies       INTEGER NOT NULL DEFAULT 0,
    missing_dates      INTEGER NOT NULL DEFAULT 0,
    notes              VARCHAR
);

COMMENT ON TABLE runs IS 'One row per pipeline run (or per source within a run): what it was asked to do, how it ended and what it found.';
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
COMMENT ON COLUMN runs.errors IS 'Failed requests or extractions (rows in fetch_errors).';
COMMENT ON COLUMN runs.empty_bodies IS 'Articles extracted with no body paragraphs.';
COMMENT ON COLUMN runs.missing_dates IS 'Articles extracted with no publication date.';
COMMENT ON COLUMN runs.notes IS 'Free text: why the run is degraded or partial, batches left staged, ...';

CREATE TABLE articles (
    article_id    VARCHAR PRIMARY KEY,
    source_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    title         VARCHAR,
    published_at  TIMESTAMPTZ,
    author        VARCHAR,
    origin        VARCHAR,
    language      VARCHAR,
    body_text     VARCHAR,
    content_hash  VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL
);

COMMENT ON TABLE articles IS 'One row per article, holding its current content; earlier contents are in article_versions.';
COMMENT ON COLUMN articles.article_id IS 'Stable identifier of the article (derived by the crawler from its normalised URL).';
COMMENT ON COLUMN articles.source_id IS 'The source (newsroom) the article belongs to; see sources.';
COMMENT ON COLUMN articles.url IS 'URL the article was fetched from.';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC instant; dates without an offset were read in the source time zone).';
COMMENT ON COLUMN articles.author IS 'Author or issuing person, when the page names one.';
COMMENT ON COLUMN articles.origin IS 'Issuing office or original publisher (for example 来源: ...), when given.';
COMMENT ON COLUMN articles.language IS 'Language tag of the article (en, zh, ...), when known.';
COMMENT ON COLUMN articles.body_text IS 'Body paragraphs joined by a blank line.';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of title, published_at, author, origin and paragraphs: a change means a new version.';
COMMENT ON COLUMN articles.first_seen_at IS 'When pressroom first fetched the article.';
COMMENT ON COLUMN articles.last_seen_at IS 'When pressroom last fetched or revalidated the article.';
COMMENT ON COLUMN articles.run_id IS 'The run that wrote the current content.';

CREATE TABLE article_paragraphs (
    article_id VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL
);

COMMENT ON TABLE article_paragraphs IS 'Body paragraphs of the current content of each article, in order; key (article_id, position).';
COMMENT ON COLUMN article_paragraphs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_paragraphs.position IS 'Order of the paragraph in the body, starting at 1.';
COMMENT ON COLUMN article_paragraphs.text IS 'Paragraph text, whitespace normalised.';
COMMENT ON COLUMN article_paragraphs.run_id IS 'The run that wrote the paragraph.';

CREATE TABLE fetch_errors (
    source_id   VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,
    status      INTEGER,
    reason      VARCHAR NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    run_id      VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE fetch_errors IS 'One row per failed request or extraction, per run.';
COMMENT ON COLUMN fetch_errors.source_id IS 'The source the URL belongs to.';
COMMENT ON COLUMN fetch_errors.url IS 'The URL that failed.';
COMMENT ON COLUMN fetch_errors.stage IS 'Where it failed: robots, listing, feed, sitemap, article, extract, ...';
COMMENT ON COLUMN fetch_errors.status IS 'HTTP status of the last attempt; NULL for connection errors and timeouts.';
COMMENT ON COLUMN fetch_errors.reason IS 'Short human-readable cause.';
COMMENT ON COLUMN fetch_errors.attempts IS 'Requests sent for this URL in this run (retries included).';
COMMENT ON COLUMN fetch_errors.run_id IS 'The run that hit the error.';
COMMENT ON COLUMN fetch_errors.occurred_at IS 'When the last attempt failed (UTC).';
