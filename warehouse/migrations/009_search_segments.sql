-- Issue 5: a list of search segments, so that deciding whether to merge reads a few rows instead
-- of scanning the level and segment columns of every posting.

CREATE TABLE search_segments (
    level   SMALLINT NOT NULL,
    segment BIGINT NOT NULL
);

INSERT INTO search_segments SELECT DISTINCT level, segment FROM search_postings;

COMMENT ON TABLE search_segments IS 'The segments of search_postings, one row each.';
COMMENT ON COLUMN search_segments.level IS 'Merge level of the segment (see search_postings.level).';
COMMENT ON COLUMN search_segments.segment IS 'Segment number within its level (see search_postings.segment).';
