-- Search moves to a tantivy index beside the warehouse (warehouse/search_index.py): its tables,
-- view and sequence leave the warehouse. loaded_batches gains load_seq, the order batches were
-- loaded in, which the index keeps as its watermark (how far it has caught up).

DROP VIEW IF EXISTS search_postings;
DROP TABLE IF EXISTS search_postings_0;
DROP TABLE IF EXISTS search_postings_1;
DROP TABLE IF EXISTS search_postings_2;
DROP TABLE IF EXISTS search_segments;
DROP TABLE IF EXISTS search_dead;
DROP TABLE IF EXISTS search_docs;
DROP SEQUENCE IF EXISTS search_batch_seq;

ALTER TABLE loaded_batches ADD COLUMN load_seq BIGINT;
UPDATE loaded_batches SET load_seq = s.n
FROM (SELECT batch_id, row_number() OVER (ORDER BY loaded_at, batch_id) AS n FROM loaded_batches) AS s
WHERE loaded_batches.batch_id = s.batch_id;

COMMENT ON COLUMN loaded_batches.load_seq IS 'Order in which the batch was loaded (1, 2, ...); the search index records the highest it holds.';
