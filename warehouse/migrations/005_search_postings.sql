-- Issue 5: search index as per-batch posting lists (one row per term and loaded batch instead of
-- one per term and article: about twenty times fewer rows to write per load). The loader fills
-- the new tables again for articles loaded before this migration (warehouse.search.reindex).

DROP TABLE search_terms;
DROP TABLE search_docs;

CREATE SEQUENCE search_batch_seq START 1;

CREATE TABLE search_docs (
    article_id VARCHAR PRIMARY KEY,
    doc_id     BIGINT NOT NULL,
    source_id  VARCHAR NOT NULL,
    doc_len    INTEGER NOT NULL
);

COMMENT ON TABLE search_docs IS 'Search index entry of the current content of each article; postings of older contents point to doc_ids no longer here and are ignored.';
COMMENT ON COLUMN search_docs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN search_docs.doc_id IS 'batch_no * 1048576 + position of the article in its batch: the id search_postings use.';
COMMENT ON COLUMN search_docs.source_id IS 'The source of the article.';
COMMENT ON COLUMN search_docs.doc_len IS 'Weighted number of terms (title terms count three times), the BM25 document length.';

CREATE TABLE search_postings (
    batch_no INTEGER NOT NULL,
    term     VARCHAR NOT NULL,
    locals   INTEGER[] NOT NULL,
    tfs      INTEGER[] NOT NULL
);

COMMENT ON TABLE search_postings IS 'BM25 term table as posting lists, one row per (loaded batch, term). English terms: lowercase words, a final s stripped; Chinese: character bigrams.';
COMMENT ON COLUMN search_postings.batch_no IS 'Number of the loaded batch (from search_batch_seq); doc_id = batch_no * 1048576 + local.';
COMMENT ON COLUMN search_postings.term IS 'The term (a word or a CJK character bigram).';
COMMENT ON COLUMN search_postings.locals IS 'Positions, within the batch, of the articles containing the term.';
COMMENT ON COLUMN search_postings.tfs IS 'Weighted term frequency for each article in locals (body count + 3 x title count).';
