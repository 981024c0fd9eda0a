"""Checks of what the schema no longer enforces: the keys of the large tables.

``articles``, ``article_versions`` and ``pages`` have no PRIMARY KEY (in
the storage version the warehouse is written in, DuckDB rewrote a key's whole index at every
checkpoint). The loader keeps those keys unique; :func:`duplicate_keys` says where it did not.
"""

from __future__ import annotations

import duckdb

__all__ = ["KEYS", "duplicate_keys"]

KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id",),
    "article_versions": ("article_id", "version"),
    "pages": ("url",),
}
"""Table -> the columns that identify one of its rows."""


def duplicate_keys(con: duckdb.DuckDBPyConnection, *, sample: int = 3) -> dict[str, list[tuple]]:
    """Tables whose key is held by more than one row, with up to ``sample`` such keys each;
    empty when every key is unique."""
    found: dict[str, list[tuple]] = {}
    for table, columns in KEYS.items():
        cols = ", ".join(f'"{c}"' for c in columns)
        rows = con.execute(
            f"SELECT {cols} FROM {table} GROUP BY ALL HAVING count(*) > 1"
            f" ORDER BY ALL LIMIT {int(sample)}"
        ).fetchall()
        if rows:
            found[table] = rows
    return found
