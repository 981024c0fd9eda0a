-- Issue 13: the order of numeric dates (07/01/2023) comes from evidence, and a backfill never
-- drops an article on an uncertain listing date alone. The runs row records what decided the
-- source's date order, how many links were kept for their own page to decide, and how many
-- article pages named another day than their listing.

ALTER TABLE runs ADD COLUMN uncertain_dates INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN date_disagreements INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN date_order VARCHAR;

COMMENT ON COLUMN runs.uncertain_dates IS 'Backfill: article links kept although their listing date was missing, ambiguous (a numeric date whose order only language or time zone decided) or within a day of the window''s edges; the article page''s own date kept or dropped them.';
COMMENT ON COLUMN runs.date_disagreements IS 'Articles whose page names another day than their listing row: the page''s date was kept.';
COMMENT ON COLUMN runs.date_order IS 'How numeric dates of the source were read after the listing walk: DMY, MDY or YMD and the evidence that decided (config, page, source, html-lang, language, timezone, default).';
