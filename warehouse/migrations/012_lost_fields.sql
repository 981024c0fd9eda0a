-- Issue 12: good data is never replaced by worse. When a page is extracted again (a re-fetch or
-- a reparse) and the new extraction lacks a field the stored article has (a redesign, a broken
-- selector, an error page served with 200), the loader keeps the stored article as it is, writes
-- no version, and records the extraction in fetch_errors (stage extract) instead. The runs row
-- counts those articles, and a run where they are many is marked degraded.

ALTER TABLE runs ADD COLUMN lost_fields INTEGER NOT NULL DEFAULT 0;
ALTER TABLE loaded_batches ADD COLUMN lost_fields INTEGER NOT NULL DEFAULT 0;

COMMENT ON COLUMN runs.lost_fields IS 'Articles extracted again without a field the stored article has (title, published_at, body, author or origin; a body that is empty, or one paragraph under a quarter of the stored length, counts as lost): the stored values were kept, no version was written, and each has a fetch_errors row (stage extract). Counted by the loader; when they are at least half of the 5 or more known articles the run saw again, the run is degraded.';
COMMENT ON COLUMN runs.errors IS 'Failed requests or extractions counted by the crawler (rows in fetch_errors; the loader adds lost_fields rows of its own).';
COMMENT ON COLUMN loaded_batches.lost_fields IS 'Articles in the batch whose extraction lost stored fields (stored values kept).';
COMMENT ON COLUMN fetch_errors.stage IS 'Where it failed: robots, listing, feed, sitemap, article, extract (extract also when an extraction lost fields the stored article has, which were kept), ...';
