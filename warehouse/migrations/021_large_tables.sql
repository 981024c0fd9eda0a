-- Issue 16: articles, article_versions and pages without their PRIMARY KEYs. A file in the
-- storage version pressroom writes (v1.4.0, for the DuckDB CLI: migration 018) gets no
-- incremental index storage from duckdb 2.0: every checkpoint wrote each key's whole ART index
-- again, and each load's commit is a checkpoint. At 100,000 articles that was 5 s of every
-- 1,000-article batch and a third of the file (bench/warehouse.py). The loader keeps the keys
-- unique itself (staging keeps one row per article and per URL, the loader merges on the key
-- and writes one version per new content; warehouse/integrity.py finds any duplicate, and the
-- load and lifecycle tests check for them), and the key columns stay NOT NULL. Rows are copied
-- in their order; the comments are carried over.

CREATE TABLE articles_unkeyed (
    article_id VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMPTZ,
    author VARCHAR,
    origin VARCHAR,
    "language" VARCHAR,
    body_text VARCHAR,
    content_hash VARCHAR NOT NULL,
    first_seen_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    run_id VARCHAR NOT NULL,
    updated_at TIMESTAMPTZ,
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
INSERT INTO articles_unkeyed SELECT * FROM articles;
DROP TABLE articles;
ALTER TABLE articles_unkeyed RENAME TO articles;

COMMENT ON TABLE articles IS 'One row per article, holding its current content; earlier contents are in article_versions.';
COMMENT ON COLUMN articles.article_id IS 'Stable identifier of the article (derived by the crawler from its normalised URL).';
COMMENT ON COLUMN articles.source_id IS 'The source (newsroom) the article belongs to; see sources.';
COMMENT ON COLUMN articles.url IS 'URL the article was fetched from.';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC instant; dates without an offset were read in the source time zone).';
COMMENT ON COLUMN articles.author IS 'Author or issuing person, when the page names one.';
COMMENT ON COLUMN articles.origin IS 'Issuing office or original publisher (for example 来源: ...), when given.';
COMMENT ON COLUMN articles."language" IS 'Language tag of the article (en, zh, ...), when known.';
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

CREATE TABLE article_versions_unkeyed (
    article_id VARCHAR NOT NULL,
    "version" INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ,
    author VARCHAR,
    origin VARCHAR,
    "language" VARCHAR,
    lede VARCHAR,
    body_text VARCHAR USING COMPRESSION zstd,
    canonical_url VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL,
    run_id VARCHAR NOT NULL,
    index_no VARCHAR,
    doc_no VARCHAR,
    issuer VARCHAR,
    written_at DATE,
    topic VARCHAR,
    validity VARCHAR
);
INSERT INTO article_versions_unkeyed SELECT * FROM article_versions;
DROP TABLE article_versions;
ALTER TABLE article_versions_unkeyed RENAME TO article_versions;

COMMENT ON TABLE article_versions IS 'One row per distinct content of an article: the first fetch and every correction.';
COMMENT ON COLUMN article_versions.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_versions."version" IS 'Version number, 1 for the first content seen, then 2, 3, ...';
COMMENT ON COLUMN article_versions.content_hash IS 'Content hash of this version (see articles.content_hash).';
COMMENT ON COLUMN article_versions.url IS 'URL this version was fetched from.';
COMMENT ON COLUMN article_versions.title IS 'Headline in this version.';
COMMENT ON COLUMN article_versions.published_at IS 'Publication time in this version (UTC instant).';
COMMENT ON COLUMN article_versions.updated_at IS 'Last-modified time stated by the page in this version.';
COMMENT ON COLUMN article_versions.author IS 'Author in this version.';
COMMENT ON COLUMN article_versions.origin IS 'Issuing office in this version.';
COMMENT ON COLUMN article_versions."language" IS 'Language tag in this version.';
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

CREATE TABLE pages_unkeyed (
    url VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    final_url VARCHAR,
    status INTEGER NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    fetched_at TIMESTAMPTZ NOT NULL,
    archive_key VARCHAR,
    article_id VARCHAR,
    run_id VARCHAR NOT NULL,
    kind VARCHAR,
    kind_reason VARCHAR
);
INSERT INTO pages_unkeyed SELECT * FROM pages;
DROP TABLE pages;
ALTER TABLE pages_unkeyed RENAME TO pages;

COMMENT ON TABLE pages IS 'Index of the raw archive and HTTP validators: the latest response for every URL requested (listing, feed, sitemap, article).';
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
COMMENT ON COLUMN pages.kind IS 'What the page is: article, landing (landing, section, department, tag, search or contact page), soft_404 (a not-found page answered 200) or document (a PDF or other file); NULL for listing, feed and sitemap pages and for pages fetched before migration 014.';
COMMENT ON COLUMN pages.kind_reason IS 'The evidence for kind, in a few words (og:type=article, no date and 40 links, title ''Page not found'', PDF served as application/pdf, ...).';

-- article_paragraphs keeps no key either (it never had one); its text, like the bodies of
-- article_versions, is compressed with ZSTD instead of DuckDB's default FSST: the second and
-- third copy of every body are read far less often than articles.body_text, and ZSTD keeps
-- them in about half the space (bench/warehouse.py: the file at 100,000 articles).
CREATE TABLE article_paragraphs_zstd (
    article_id VARCHAR NOT NULL,
    "position" INTEGER NOT NULL,
    "text" VARCHAR NOT NULL USING COMPRESSION zstd,
    run_id VARCHAR NOT NULL
);
INSERT INTO article_paragraphs_zstd SELECT * FROM article_paragraphs;
DROP TABLE article_paragraphs;
ALTER TABLE article_paragraphs_zstd RENAME TO article_paragraphs;

COMMENT ON TABLE article_paragraphs IS 'Body paragraphs of the current content of each article, in order; key (article_id, position).';
COMMENT ON COLUMN article_paragraphs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN article_paragraphs."position" IS 'Order of the paragraph in the body, starting at 1.';
COMMENT ON COLUMN article_paragraphs."text" IS 'Paragraph text, whitespace normalised.';
COMMENT ON COLUMN article_paragraphs.run_id IS 'The run that wrote the paragraph.';
