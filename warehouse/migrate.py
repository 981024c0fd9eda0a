"""Apply the ordered SQL migrations in ``warehouse/migrations/`` once each.

Each file ``NNN_name.sql`` is one migration; ``NNN`` is its version. A migration and the row
recording it in ``schema_version`` are committed in one transaction, so a crash leaves either
both or neither. Versions already recorded are skipped, which makes :func:`migrate` idempotent.
Each row also records the DuckDB storage version of the file.

``001_baseline.sql`` is the whole schema as issue 16 left it (the 21 migrations before it were
folded into it when search left the warehouse; no warehouse outside the test suite predates
it). Later changes are new files after it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

__all__ = ["Migration", "applied_versions", "available_migrations", "migrate"]

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_FILE_STORAGE_VERSION = (
    "(SELECT tags['storage_version'] FROM duckdb_databases()"
    " WHERE database_name = current_database())"
)

_STORAGE_COMMENT = (
    "DuckDB storage version of the warehouse file when the migration was applied (v1.4.0+ is"
    " what pressroom writes: the DuckDB CLI 1.4 and later opens it; v2.0.0+ is a file created"
    " by duckdb 2.0 without it, which only duckdb 2.0 and later opens). NULL for an in-memory"
    " database."
)

_SCHEMA_VERSION_DDL = f"""
CREATE TABLE IF NOT EXISTS schema_version (
    version         INTEGER PRIMARY KEY,
    name            VARCHAR NOT NULL,
    applied_at      TIMESTAMPTZ NOT NULL,
    storage_version VARCHAR
);
COMMENT ON TABLE schema_version IS 'Migrations applied to this warehouse, one row each.';
COMMENT ON COLUMN schema_version.version IS 'Migration number (the NNN of NNN_name.sql).';
COMMENT ON COLUMN schema_version.name IS 'Migration name (the name of NNN_name.sql).';
COMMENT ON COLUMN schema_version.applied_at IS 'When the migration was applied.';
COMMENT ON COLUMN schema_version.storage_version IS '{_STORAGE_COMMENT}';
"""


@dataclass(frozen=True)
class Migration:
    """One SQL file: its version number, name and statements."""

    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """Every migration shipped with the package, in version order."""
    return list(_shipped_migrations())


@functools.cache
def _shipped_migrations() -> tuple[Migration, ...]:
    """The package's migration files, read once per process (every write open checks them)."""
    found: list[Migration] = []
    for entry in resources.files("pressroom.warehouse.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(
                Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8"))
            )
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"duplicate migration versions: {versions}")
    return tuple(found)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    """Versions recorded in ``schema_version`` (empty when the table does not exist yet)."""
    # Asking for the rows and catching a missing table is one query; duckdb_tables() on a
    # fresh connection took 4-5 ms of each load's open.
    try:
        rows = con.execute("SELECT version FROM main.schema_version").fetchall()
    except duckdb.CatalogException:
        return set()
    return {row[0] for row in rows}


def migrate(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """Apply every migration not yet recorded; return those applied now."""
    done = applied_versions(con)
    pending = [m for m in available_migrations() if m.version not in done]
    if not pending:
        return []
    if not done:
        con.execute(_SCHEMA_VERSION_DDL)
    for migration in pending:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_version (version, name, applied_at, storage_version)"
                f" VALUES (?, ?, now(), {_FILE_STORAGE_VERSION})",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return pending
