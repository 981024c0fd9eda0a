"""A source's recent run history, for the degraded-run check in the flows."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from warehouse.db import DEFAULT_LOCK_TIMEOUT, connect

__all__ = ["SourceHistory", "read_source_history"]


@dataclass(frozen=True)
class SourceHistory:
    """Totals over a source's recent runs that fetched articles."""

    runs: int = 0
    articles: int = 0
    empty_bodies: int = 0
    missing_dates: int = 0

    def share(self, kind: str) -> float:
        """Share of fetched articles with this problem (``empty_bodies``, ``missing_dates``)."""
        return getattr(self, kind) / self.articles if self.articles else 0.0


def read_source_history(
    warehouse_path: str | os.PathLike[str],
    source_id: str,
    *,
    last_runs: int = 10,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> SourceHistory:
    """Totals of the last ``last_runs`` non-reparse runs of a source that fetched something."""
    if not Path(warehouse_path).exists():
        return SourceHistory()
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        tables = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'runs'"
        ).fetchall()
        if not tables[0][0]:  # created by a run killed before its first migration
            return SourceHistory()
        row = con.execute(
            """
            SELECT count(*), coalesce(sum(articles_fetched), 0),
                   coalesce(sum(empty_bodies), 0), coalesce(sum(missing_dates), 0)
            FROM (
                SELECT * FROM runs
                WHERE source_id = ? AND mode <> 'reparse' AND articles_fetched > 0
                ORDER BY started_at DESC
                LIMIT ?
            )
            """,
            [source_id, last_runs],
        ).fetchall()[0]
    return SourceHistory(*(int(v) for v in row))
