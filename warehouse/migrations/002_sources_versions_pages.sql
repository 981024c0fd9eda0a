-- Issue 5: sources, article versions, images, attachments, the raw archive index, load bookkeeping.

ALTER TABLE articles ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE articles ADD COLUMN lede VARCHAR;
ALTER TABLE articles ADD COLUMN canonical_url VARCHAR;
ALTER TABLE articles ADD COLUMN warnings VARCHAR[];
ALTER TABLE articles ADD COLUMN extraction_rules JSON;

COMMENT ON COLUMN articles.updated_at IS 'Last-modified time the page itself states, when it gives one.';
COMMENT ON COLUMN articles.lede IS 'Standfirst or summary shown above the body, when the page has one.';
COMMENT ON COLUMN articles.canonical_url IS 'Same-site rel=canonical URL of the article, when given.';
COMMENT ON COLUMN articles.warnings IS 'Extraction warnings (no date found, selector matched nothing, ...).';
COMMENT ON COLUMN articles.extraction_rules IS 'JSON object: field name -> rule that produced it (json-ld, meta:..., selector, density).';

CREATE TABLE sources (
    source_id     VARCHAR PRIMARY KEY,
    name          VARCHAR,
    timezone      VARCHAR,
    language      VARCHAR,
    start_urls    VARCHAR[],
    first_seen_at TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE sources IS 'Newsrooms pressroom has loaded articles from, as last configured.';
COMMENT ON COLUMN sources.source_id IS 'Identifier of the source (the id key in pressroom.toml).';
COMMENT ON COLUMN sources.name IS 'Display name of the source; NULL when the config gives none.';
COMMENT ON COLUMN sources.timezone IS 'IANA time zone applied to dates that carry no offset.';
COMMENT ON COLUMN sources.language IS 'Default language of the source, when configured.';
COMMENT ON COLUMN sources.start_urls IS 'Listing pages the crawl starts from.';
COMMENT ON COLUMN sources.first_seen_at IS 'When the source was first loaded.';
COMMENT ON COLUMN sources.updated_at IS 'When this row was last written.';

CREATE TABLE article_versions (
    article_id    VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    title         VARCHAR,
    published_at  TIMESTAMPTZ,
    updated_at    TIMESTAMPTZ,
    author        VARCHAR,
    origin        VARCHAR,
    language      VARCHAR,
    lede          VARCHAR,
    body_text     VARCHAR,
    canonical_url VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR NOT NULL,
    PRIMARY KEY (article_id, version)
);

COMMENT ON TABLE article_versions IS 'One row per distinct content of an article: the first fetch and every correction.';
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

CREATE TABLE article_images (
    article_id VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    src        VARCHAR NOT NULL,
    alt        VARCHAR,
    caption    VARCHAR,
    run_id     VARCHAR NOT NULL
);

COMMENT ON TABLE article_images IS 'Images in the body of the current content of each article; key (article_id, position).';
COMMENT ON COLUMN article_images.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_images.position IS 'Order of the image in the body, starting at 1.';
COMMENT ON COLUMN article_images.src IS 'Absolute image URL.';
COMMENT ON COLUMN article_images.alt IS 'alt text, when given.';
COMMENT ON COLUMN article_images.caption IS 'Caption (figcaption or equivalent), when given.';
COMMENT ON COLUMN article_images.run_id IS 'The run that wrote the row.';

CREATE TABLE article_attachments (
    article_id VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    url        VARCHAR NOT NULL,
    text       VARCHAR,
    run_id     VARCHAR NOT NULL
);

COMMENT ON TABLE article_attachments IS 'Documents (pdf, doc, xls, zip, ofd, ...) linked from the current content of each article; key (article_id, position).';
COMMENT ON COLUMN article_attachments.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_attachments.position IS 'Order of the link in the body, starting at 1.';
COMMENT ON COLUMN article_attachments.url IS 'Absolute URL of the document.';
COMMENT ON COLUMN article_attachments.text IS 'Link text, when given.';
COMMENT ON COLUMN article_attachments.run_id IS 'The run that wrote the row.';

CREATE TABLE pages (
    url           VARCHAR PRIMARY KEY,
    source_id     VARCHAR NOT NULL,
    final_url     VARCHAR,
    status        INTEGER NOT NULL,
    etag          VARCHAR,
    last_modified VARCHAR,
    fetched_at    TIMESTAMPTZ NOT NULL,
    archive_key   VARCHAR,
    article_id    VARCHAR,
    run_id        VARCHAR NOT NULL
);

COMMENT ON TABLE pages IS 'Index of the raw archive and HTTP validators: the latest response for every URL requested (listing, feed, sitemap, article).';
COMMENT ON COLUMN pages.url IS 'The URL requested (normalised).';
COMMENT ON COLUMN pages.source_id IS 'The source the URL belongs to.';
COMMENT ON COLUMN pages.final_url IS 'URL after redirects, when it differs.';
COMMENT ON COLUMN pages.status IS 'HTTP status of the latest response (200, 304, ...).';
COMMENT ON COLUMN pages.etag IS 'ETag of the latest body, sent back as If-None-Match.';
COMMENT ON COLUMN pages.last_modified IS 'Last-Modified of the latest body, sent back as If-Modified-Since.';
COMMENT ON COLUMN pages.fetched_at IS 'When the URL was last requested (a 304 counts).';
COMMENT ON COLUMN pages.archive_key IS 'Key of the latest archived body in the raw archive; kept across 304 answers.';
COMMENT ON COLUMN pages.article_id IS 'The article the page holds; NULL for listing, feed and sitemap pages.';
COMMENT ON COLUMN pages.run_id IS 'The run that made the latest request.';

CREATE TABLE loaded_batches (
    batch_id           VARCHAR PRIMARY KEY,
    run_id             VARCHAR NOT NULL,
    loaded_at          TIMESTAMPTZ NOT NULL,
    articles_new       INTEGER NOT NULL,
    articles_updated   INTEGER NOT NULL,
    articles_unchanged INTEGER NOT NULL,
    pages              INTEGER NOT NULL,
    errors             INTEGER NOT NULL
);

COMMENT ON TABLE loaded_batches IS 'Staged batches already loaded, written in the same transaction as their rows: a batch seen again is skipped.';
COMMENT ON COLUMN loaded_batches.batch_id IS 'Name of the staged batch directory (sortable by staging time).';
COMMENT ON COLUMN loaded_batches.run_id IS 'The run that staged the batch.';
COMMENT ON COLUMN loaded_batches.loaded_at IS 'When the batch was loaded.';
COMMENT ON COLUMN loaded_batches.articles_new IS 'Articles in the batch that were new.';
COMMENT ON COLUMN loaded_batches.articles_updated IS 'Articles in the batch whose content changed.';
COMMENT ON COLUMN loaded_batches.articles_unchanged IS 'Articles in the batch seen again unchanged (304s included).';
COMMENT ON COLUMN loaded_batches.pages IS 'Page (validator) rows in the batch.';
COMMENT ON COLUMN loaded_batches.errors IS 'fetch_errors rows in the batch.';
