-- Issue 15: the warehouse file is written in a DuckDB storage version the DuckDB CLI on the
-- package index reads (warehouse/db.py STORAGE_VERSION). Each migration row records the storage
-- version of the file it was applied to; rows applied before this migration get the file's
-- version now (a file keeps the storage version it was created with).

ALTER TABLE schema_version ADD COLUMN storage_version VARCHAR;
UPDATE schema_version SET storage_version = (
    SELECT tags['storage_version'] FROM duckdb_databases()
    WHERE database_name = current_database()
);

COMMENT ON COLUMN schema_version.storage_version IS 'DuckDB storage version of the warehouse file when the migration was applied (v1.4.0+ is what pressroom writes: the DuckDB CLI 1.4 and later opens it; v2.0.0+ is a file created by duckdb 2.0 without it, which only duckdb 2.0 and later opens). NULL for an in-memory database.';
