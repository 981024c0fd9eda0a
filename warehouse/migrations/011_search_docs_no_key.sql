-- Issue 5: search_docs without its PRIMARY KEY. DuckDB rewrote the key's index at every
-- checkpoint, and each load's commit is one: 30 ms of a 225 ms batch at 65,000 articles, and
-- growing with the table. The loader keeps article_id unique itself (an updated article's row
-- is deleted before its new one is inserted, in the same transaction; reindex only adds
-- articles that have no row), and tests check it. Rows are copied in doc_id order.

CREATE TABLE search_docs_unkeyed (
    article_id   VARCHAR NOT NULL,
    doc_id       BIGINT NOT NULL,
    source_id    VARCHAR NOT NULL,
    doc_len      INTEGER NOT NULL,
    published_at TIMESTAMPTZ
);
INSERT INTO search_docs_unkeyed
SELECT article_id, doc_id, source_id, doc_len, published_at FROM search_docs ORDER BY doc_id;
DROP TABLE search_docs;
ALTER TABLE search_docs_unkeyed RENAME TO search_docs;

COMMENT ON TABLE search_docs IS 'Search index entry of the current content of each article (one row per article; the loader keeps article_id unique): postings of older contents point to doc_ids no longer here and are ignored.';
COMMENT ON COLUMN search_docs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN search_docs.doc_id IS 'batch_no * 1048576 + position of the article in its batch: the id the search_postings_* tables use.';
COMMENT ON COLUMN search_docs.source_id IS 'The source of the article.';
COMMENT ON COLUMN search_docs.doc_len IS 'Weighted number of terms (title terms count three times), the BM25 document length.';
COMMENT ON COLUMN search_docs.published_at IS 'Publication time of the article (for date filters and tie-breaks without reading articles).';

-- Merges now order a segment by the top 16 bits of term_key (warehouse.search._MERGE_ORDER):
-- the same row-group pruning as a full sort at about the cost of a copy.
COMMENT ON TABLE search_postings_1 IS 'BM25 postings merged from level 0: one segment per merge of about eight batches, ordered by term-key bucket (the top 16 bits of term_key).';
COMMENT ON TABLE search_postings_2 IS 'BM25 postings merged from level 1 (about sixty-four batches a segment), ordered by term-key bucket within a segment; the top level, never merged again.';
