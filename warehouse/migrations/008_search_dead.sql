-- Issue 5: doc ids of superseded article contents, so that a search merge drops their postings
-- with a lookup in a small table instead of a semi-join against every live document.

CREATE TABLE search_dead (
    doc_id BIGINT NOT NULL
);

COMMENT ON TABLE search_dead IS 'search_docs.doc_id values of article contents that were superseded by a correction; merges drop their postings.';
COMMENT ON COLUMN search_dead.doc_id IS 'The doc id that no longer belongs to a current article content.';
