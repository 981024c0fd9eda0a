-- Issue 5: offline full-text search (BM25 over a term table kept current by the loader).

CREATE TABLE search_docs (
    article_id VARCHAR PRIMARY KEY,
    source_id  VARCHAR NOT NULL,
    doc_len    INTEGER NOT NULL
);

COMMENT ON TABLE search_docs IS 'Search statistics per article: one row per article in the search index.';
COMMENT ON COLUMN search_docs.article_id IS 'The article; see articles.';
COMMENT ON COLUMN search_docs.source_id IS 'The source of the article.';
COMMENT ON COLUMN search_docs.doc_len IS 'Weighted number of terms (title terms count three times), the BM25 document length.';

CREATE TABLE search_terms (
    article_id VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,
    tf         INTEGER NOT NULL
);

COMMENT ON TABLE search_terms IS 'Term table for BM25: one row per (article, term) of the current content. English: lowercase words, plural -s stripped; Chinese: character bigrams.';
COMMENT ON COLUMN search_terms.article_id IS 'The article; see articles.';
COMMENT ON COLUMN search_terms.term IS 'The term (a word or a CJK character bigram).';
COMMENT ON COLUMN search_terms.tf IS 'Weighted term frequency: occurrences in the body plus three per occurrence in the title.';
