-- Issue 13: the unambiguous numeric dates (15/03/2023 day-first, 03/15/2023 month-first) a run's
-- listing pages showed are kept on its runs row, so that later runs of the source read their
-- ambiguous dates (07/01/2023) the way the source's earlier pages proved, even when the pages a
-- later run reads show no day above 12 themselves.

ALTER TABLE runs ADD COLUMN date_day_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN date_month_first INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN date_example VARCHAR;

COMMENT ON COLUMN runs.date_day_first IS 'Unambiguous day-first numeric dates (a first field above 12, 15/03/2023) on the listing pages this run read.';
COMMENT ON COLUMN runs.date_month_first IS 'Unambiguous month-first numeric dates (a second field above 12, 03/15/2023) on the listing pages this run read.';
COMMENT ON COLUMN runs.date_example IS 'One of those unambiguous dates as printed, for messages (NULL when the run saw none).';
