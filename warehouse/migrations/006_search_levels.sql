-- Issue 5: search postings merged in levels (a small log-structured merge), so that a query
-- reads a few term-sorted segments instead of one unsorted row group per loaded batch. Postings
-- now hold doc ids directly. The index is rebuilt by the next load (warehouse.search.reindex).

DROP TABLE search_postings;
DELETE FROM search_docs;
ALTER TABLE search_docs ADD COLUMN published_at TIMESTAMPTZ;
COMMENT ON COLUMN search_docs.published_at IS 'Publication time of the article (for date filters and tie-breaks without reading articles).';

CREATE TABLE search_postings (
    level   SMALLINT NOT NULL,
    segment BIGINT NOT NULL,
    term    VARCHAR NOT NULL,
    doc_ids BIGINT[] NOT NULL,
    tfs     INTEGER[] NOT NULL
);

COMMENT ON TABLE search_postings IS 'BM25 term table as posting lists, one row per (segment, term), sorted by term within a segment. Each loaded batch adds a level-0 segment; eight segments of a level are merged into one of the next level. English terms: lowercase words, a final s stripped; Chinese: character bigrams.';
COMMENT ON COLUMN search_postings.level IS 'Merge level: 0 for one loaded batch, 1 for eight batches, 2 for sixty-four, ...';
COMMENT ON COLUMN search_postings.segment IS 'Segment number within its level (the batch_no of its newest batch).';
COMMENT ON COLUMN search_postings.term IS 'The term (a word or a CJK character bigram).';
COMMENT ON COLUMN search_postings.doc_ids IS 'search_docs.doc_id of each article containing the term; ids no longer in search_docs belong to superseded contents and are ignored.';
COMMENT ON COLUMN search_postings.tfs IS 'Weighted term frequency for each doc id (body count + 3 x title count).';
