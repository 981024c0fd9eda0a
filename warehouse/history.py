"""A source's recent run history, and the thresholds of the degraded-run alarm.

The thresholds live here, below the flows, because two layers apply them: the flows compare a
run's empty bodies and missing dates with the source's history before it is loaded
(:mod:`pressroom.flows.health`), and the loader marks a run degraded when many of the articles it
saw
again lost stored fields (:func:`lost_fields_alarm`, only the loader knows the stored rows).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pressroom.warehouse.db import DEFAULT_LOCK_TIMEOUT, connect, holds_a_database
from pressroom.warehouse.migrate import applied_versions

__all__ = [
    "MIN_ARTICLES",
    "MIN_SHARE",
    "SourceHistory",
    "lost_fields_alarm",
    "read_source_history",
]

MIN_ARTICLES = 5
"""Too few articles in a run say nothing: no alarm below this many."""
MIN_SHARE = 0.5
"""An alarm needs at least half the run's articles affected."""


def lost_fields_alarm(lost: int, seen_again: int) -> bool:
    """True when ``lost`` of the ``seen_again`` known articles a run saw again lost stored
    fields, and that is at least :data:`MIN_SHARE` of :data:`MIN_ARTICLES` or more.

    A stored article losing fields is never normal, so unlike empty bodies and missing dates
    there is no history to compare with: one error page is a warning, a redesign is an alarm.
    """
    return lost > 0 and seen_again >= MIN_ARTICLES and lost >= MIN_SHARE * seen_again


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
    if not holds_a_database(warehouse_path):
        return SourceHistory()
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        if not applied_versions(con):  # created by a run killed before its first migration
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
