"""Shared pieces for the fault suite: the session's Prefect API URL and warehouse snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="session")
def api_url(prefect_api: None) -> str:
    """The URL of the session's Prefect API, for pressroom processes started by a test."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "prefect_test_harness set no PREFECT_API_URL"
    return str(url)


@dataclass(frozen=True)
class Snapshot:
    """What must be identical between two warehouses holding the same articles."""

    hashes: dict[str, str]  # article_id -> content_hash
    versions: dict[str, int]  # article_id -> number of versions
    duplicate_articles: int
    duplicate_versions: int


def snapshot(warehouse: Path) -> Snapshot:
    """Read the articles and versions of ``warehouse`` (read-only, closed at once)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        hashes = dict(con.execute("SELECT article_id, content_hash FROM articles").fetchall())
        versions = dict(
            con.execute("SELECT article_id, count(*) FROM article_versions GROUP BY 1").fetchall()
        )
        ((dup_articles, dup_versions),) = con.execute(
            "SELECT (SELECT count(*) - count(DISTINCT article_id) FROM articles),"
            " (SELECT count(*) - count(DISTINCT (article_id, content_hash))"
            "  FROM article_versions)"
        ).fetchall()
    finally:
        con.close()
    return Snapshot(hashes, versions, int(dup_articles), int(dup_versions))


def article_count(warehouse: Path) -> int:
    """Articles loaded so far (0 when the file does not exist yet)."""
    if not warehouse.exists():
        return 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM articles").fetchall()[0][0])
    finally:
        con.close()
