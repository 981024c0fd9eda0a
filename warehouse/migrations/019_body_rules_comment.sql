-- Issue 14: the body cascade names its step in extraction_rules.paragraphs; the column's
-- description says which names an analyst can meet.

COMMENT ON COLUMN articles.extraction_rules IS 'JSON object: field name -> rule that produced it (json-ld, meta:..., selector, density; for `paragraphs` the body cascade''s step: selector, site:..., hanweb:ContentStart, density, density+lede, second-choice, json-ld, page-state, paragraph-run).';
