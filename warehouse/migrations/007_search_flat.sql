-- Issue 5: search postings as flat rows (term key, doc id, tf) merged in term order. DuckDB reads
-- a list column in full for every row group it touches, so posting lists cost ~100 ms per query
-- at 100,000 articles; flat rows sorted by term key let zone maps skip all but a few row groups.
-- The index is rebuilt by the next load (warehouse.search.reindex).

DROP TABLE search_postings;
DELETE FROM search_docs;

CREATE TABLE search_postings (
    level    SMALLINT NOT NULL,
    segment  BIGINT NOT NULL,
    term_key UBIGINT NOT NULL,
    doc_id   BIGINT NOT NULL,
    tf       INTEGER NOT NULL
);

COMMENT ON TABLE search_postings IS 'BM25 term table: one row per (term, article content), in segments sorted by term key. Each loaded batch adds a level-0 segment; eight segments of a level are merged into one of the next level. Terms: lowercase Latin words with a final s stripped, CJK character bigrams (see warehouse.search).';
COMMENT ON COLUMN search_postings.level IS 'Merge level: 0 for one loaded batch, 1 for eight batches, 2 for sixty-four, ...';
COMMENT ON COLUMN search_postings.segment IS 'Segment number within its level (the batch_no of its newest batch).';
COMMENT ON COLUMN search_postings.term_key IS 'md5_number_lower(term): a stable 64-bit key of the term.';
COMMENT ON COLUMN search_postings.doc_id IS 'search_docs.doc_id of the article content; ids no longer in search_docs belong to superseded contents and are ignored.';
COMMENT ON COLUMN search_postings.tf IS 'Weighted term frequency (body count + 3 x title count).';
