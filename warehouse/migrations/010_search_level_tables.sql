-- Issue 5: one table of search postings per merge level, with three columns (term key, doc id,
-- tf). A merge reads a whole level, writes it sorted into the next level and empties it; rows
-- no longer carry a level and a segment number (a constant pair that cost a third of the write
-- time of every load and merge). Level 2 is the top: its segments are never merged again, so no
-- merge rewrites more than 64 batches. Existing postings are moved as they are (scans keep
-- their order, so every segment stays sorted); search_postings becomes a view over the levels.

CREATE TABLE search_postings_0 (
    term_key UBIGINT NOT NULL,
    doc_id   BIGINT NOT NULL,
    tf       INTEGER NOT NULL
);
CREATE TABLE search_postings_1 (
    term_key UBIGINT NOT NULL,
    doc_id   BIGINT NOT NULL,
    tf       INTEGER NOT NULL
);
CREATE TABLE search_postings_2 (
    term_key UBIGINT NOT NULL,
    doc_id   BIGINT NOT NULL,
    tf       INTEGER NOT NULL
);

INSERT INTO search_postings_0 SELECT term_key, doc_id, tf FROM search_postings WHERE level = 0;
INSERT INTO search_postings_1 SELECT term_key, doc_id, tf FROM search_postings WHERE level = 1;
INSERT INTO search_postings_2 SELECT term_key, doc_id, tf FROM search_postings WHERE level >= 2;
UPDATE search_segments SET level = 2 WHERE level > 2;
DROP TABLE search_postings;

CREATE VIEW search_postings AS
SELECT 0::SMALLINT AS level, term_key, doc_id, tf FROM search_postings_0
UNION ALL
SELECT 1::SMALLINT, term_key, doc_id, tf FROM search_postings_1
UNION ALL
SELECT 2::SMALLINT, term_key, doc_id, tf FROM search_postings_2;

COMMENT ON TABLE search_postings_0 IS 'BM25 postings of recently loaded batches: one sorted segment per batch (one row per term and article content). Terms: lowercase Latin words with a final s stripped, CJK character bigrams (see warehouse.tokens).';
COMMENT ON COLUMN search_postings_0.term_key IS 'md5_number_lower(term): a stable 64-bit key of the term.';
COMMENT ON COLUMN search_postings_0.doc_id IS 'search_docs.doc_id of the article content; ids no longer in search_docs belong to superseded contents and are ignored.';
COMMENT ON COLUMN search_postings_0.tf IS 'Weighted term frequency (body count + 3 x title count).';
COMMENT ON TABLE search_postings_1 IS 'BM25 postings merged from level 0: one segment per merge of about eight batches, sorted by term key.';
COMMENT ON COLUMN search_postings_1.term_key IS 'md5_number_lower(term): a stable 64-bit key of the term.';
COMMENT ON COLUMN search_postings_1.doc_id IS 'search_docs.doc_id of the article content (see search_postings_0.doc_id).';
COMMENT ON COLUMN search_postings_1.tf IS 'Weighted term frequency (body count + 3 x title count).';
COMMENT ON TABLE search_postings_2 IS 'BM25 postings merged from level 1 (about sixty-four batches a segment), sorted by term key within a segment; the top level, never merged again.';
COMMENT ON COLUMN search_postings_2.term_key IS 'md5_number_lower(term): a stable 64-bit key of the term.';
COMMENT ON COLUMN search_postings_2.doc_id IS 'search_docs.doc_id of the article content (see search_postings_0.doc_id).';
COMMENT ON COLUMN search_postings_2.tf IS 'Weighted term frequency (body count + 3 x title count).';
COMMENT ON VIEW search_postings IS 'Every search posting with its merge level: search_postings_0, _1 and _2 together.';
COMMENT ON COLUMN search_postings.level IS 'Merge level: 0 for one loaded batch, 1 for about eight batches, 2 for about sixty-four.';
COMMENT ON COLUMN search_postings.term_key IS 'md5_number_lower(term): a stable 64-bit key of the term.';
COMMENT ON COLUMN search_postings.doc_id IS 'search_docs.doc_id of the article content.';
COMMENT ON COLUMN search_postings.tf IS 'Weighted term frequency (body count + 3 x title count).';
COMMENT ON COLUMN search_segments.level IS 'Merge level of the segment: its postings are in search_postings_<level>.';
COMMENT ON COLUMN search_segments.segment IS 'Newest batch number (doc_id >> 20) in the segment; a level is merged whole, so its segments hold consecutive batches.';
