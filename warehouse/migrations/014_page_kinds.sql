-- Issue 13, item 4: not every URL is an article. A page fetched as an article candidate (from
-- a listing, feed or sitemap) that turns out to be a landing, section, department, tag or search
-- page, a soft 404 or a document (a PDF) is recorded in pages with its kind and the reason, and
-- never loaded into articles. Later runs do not request it again (only --recheck does).

ALTER TABLE pages ADD COLUMN kind VARCHAR;
ALTER TABLE pages ADD COLUMN kind_reason VARCHAR;
ALTER TABLE runs ADD COLUMN not_articles INTEGER NOT NULL DEFAULT 0;

COMMENT ON COLUMN pages.kind IS 'What the page is: article, landing (landing, section, department, tag, search or contact page), soft_404 (a not-found page answered 200) or document (a PDF or other file); NULL for listing, feed and sitemap pages and for pages fetched before migration 014.';
COMMENT ON COLUMN pages.kind_reason IS 'The evidence for kind, in a few words (og:type=article, no date and 40 links, title ''Page not found'', PDF served as application/pdf, ...).';
COMMENT ON COLUMN pages.article_id IS 'The article the page holds; NULL for listing, feed and sitemap pages and for pages that are not articles (see kind).';
COMMENT ON COLUMN runs.not_articles IS 'Pages fetched as article candidates that were not articles (landing, soft_404 or document: see pages.kind); recorded in pages, not loaded into articles and not requested again by later runs except with --recheck.';
