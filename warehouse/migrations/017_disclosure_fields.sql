-- Issue 14: the header table of Chinese government disclosure pages (政府信息公开: 索引号,
-- 发文字号, 发文机关, 成文日期, 主题分类, 有效性) in their own columns of articles and
-- article_versions. One typed column per field rather than one JSON column: these are the fields
-- policy researchers filter and join on (WHERE doc_no = '国办发〔2023〕5号', GROUP BY issuer,
-- written_at BETWEEN ...), a DATE compares and sorts as a date where a JSON string does not, and
-- each column carries its own COMMENT, so `pressroom sql` users see what it holds. The fields
-- are fixed by the disclosure regulation (政府信息公开条例), not open-ended, so a JSON column's
-- flexibility buys nothing. NULL on every page that has no such table. published_at stays the
-- 发布日期 (公开日期, 生成日期) of the table, never its 成文日期, which is written_at.

ALTER TABLE articles ADD COLUMN index_no VARCHAR;
ALTER TABLE articles ADD COLUMN doc_no VARCHAR;
ALTER TABLE articles ADD COLUMN issuer VARCHAR;
ALTER TABLE articles ADD COLUMN written_at DATE;
ALTER TABLE articles ADD COLUMN topic VARCHAR;
ALTER TABLE articles ADD COLUMN validity VARCHAR;

ALTER TABLE article_versions ADD COLUMN index_no VARCHAR;
ALTER TABLE article_versions ADD COLUMN doc_no VARCHAR;
ALTER TABLE article_versions ADD COLUMN issuer VARCHAR;
ALTER TABLE article_versions ADD COLUMN written_at DATE;
ALTER TABLE article_versions ADD COLUMN topic VARCHAR;
ALTER TABLE article_versions ADD COLUMN validity VARCHAR;

COMMENT ON COLUMN articles.index_no IS 'Disclosure pages (政府信息公开): the index number (索引号), e.g. 11330100002489123X/2023-00015; NULL elsewhere.';
COMMENT ON COLUMN articles.doc_no IS 'Disclosure pages: the document number (发文字号, 文号), e.g. 临政办发〔2023〕5号; NULL elsewhere.';
COMMENT ON COLUMN articles.issuer IS 'Disclosure pages: the issuing authority (发文机关, 发布机构); NULL elsewhere.';
COMMENT ON COLUMN articles.written_at IS 'Disclosure pages: the date the document was written or signed (成文日期, 印发日期), a calendar date; not the publication date, which is published_at (发布日期).';
COMMENT ON COLUMN articles.topic IS 'Disclosure pages: the subject classification (主题分类, 分类) as the page writes it; NULL elsewhere.';
COMMENT ON COLUMN articles.validity IS 'Disclosure pages: validity as the page states it (有效性: 有效, 失效, 废止, ...); NULL elsewhere.';
COMMENT ON COLUMN article_versions.index_no IS 'Index number (索引号) in this version; see articles.index_no.';
COMMENT ON COLUMN article_versions.doc_no IS 'Document number (发文字号) in this version; see articles.doc_no.';
COMMENT ON COLUMN article_versions.issuer IS 'Issuing authority (发文机关) in this version; see articles.issuer.';
COMMENT ON COLUMN article_versions.written_at IS 'Written date (成文日期) in this version; see articles.written_at.';
COMMENT ON COLUMN article_versions.topic IS 'Subject classification (主题分类) in this version; see articles.topic.';
COMMENT ON COLUMN article_versions.validity IS 'Validity (有效性) in this version; a change (有效 to 失效) is a new version.';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of title, published_at, author, origin and paragraphs, plus the disclosure fields (index_no, doc_no, issuer, written_at, topic, validity) when the page has any: a change means a new version.';
COMMENT ON COLUMN runs.lost_fields IS 'Articles extracted again without a field the stored article has (title, published_at, body, author, origin, or a disclosure field: index_no, doc_no, issuer, written_at, topic, validity; a body that is empty, or one paragraph under a quarter of the stored length, counts as lost): the stored values were kept, no version was written, and each has a fetch_errors row (stage extract). Counted by the loader; when they are at least half of the 5 or more known articles the run saw again, the run is degraded.';
