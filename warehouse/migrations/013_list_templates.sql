-- Issue 13: the row template of a source's article list is learned from its first listing
-- pages and kept, so that every later run (and check-source) reads the list the same way: a
-- short last page, or a page where a sidebar box has more links, still gives the list's rows.

CREATE TABLE list_templates (
    source_id  VARCHAR NOT NULL,
    start_url  VARCHAR NOT NULL,
    template   JSON NOT NULL,
    learned_at TIMESTAMPTZ NOT NULL,
    run_id     VARCHAR NOT NULL,
    PRIMARY KEY (source_id, start_url)
);

COMMENT ON TABLE list_templates IS 'Learned row template of each listing (source and start URL): which anchors are the article list and where the date sits in a row; re-learned when a redesign breaks it.';
COMMENT ON COLUMN list_templates.source_id IS 'The source.';
COMMENT ON COLUMN list_templates.start_url IS 'The start URL (as configured) whose listing pages the template reads.';
COMMENT ON COLUMN list_templates.template IS 'JSON object: signature (tag.class path of the row anchors from the root), row_depth (levels from anchor up to its row), date_path (tag.class path from the row to its date, or null), version.';
COMMENT ON COLUMN list_templates.learned_at IS 'When the template was learned (or last re-learned).';
COMMENT ON COLUMN list_templates.run_id IS 'The run that learned it.';
