"""Migrations: recorded once each, idempotent, and every table and column documented."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import pytest

from pressroom.core.errors import WarehouseError
from pressroom.warehouse import available_migrations, connect, describe_schema
from tests.warehouse.wh_helpers import rows


def test_migrations_are_recorded_in_order(wh: Path) -> None:
    with connect(wh):
        pass
    recorded = rows(wh, "SELECT version, name FROM schema_version ORDER BY version")
    assert recorded == [{"version": m.version, "name": m.name} for m in available_migrations()]
    assert recorded[0] == {"version": 1, "name": "baseline"}


def test_reopening_applies_nothing_twice(wh: Path) -> None:
    with connect(wh):
        pass
    before = rows(wh, "SELECT * FROM schema_version ORDER BY version")
    with connect(wh):
        pass
    assert rows(wh, "SELECT * FROM schema_version ORDER BY version") == before


def test_v1_articles_columns_exist(wh: Path) -> None:
    with connect(wh):
        pass
    cols = {
        r["column_name"]
        for r in rows(wh, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'articles'")
    }
    assert {
        "article_id",
        "source_id",
        "url",
        "title",
        "published_at",
        "author",
        "origin",
        "language",
        "body_text",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
        "run_id",
    } <= cols


def test_every_table_view_and_column_has_a_comment() -> None:
    schema = describe_schema()
    names = {t.name for t in schema.tables}
    assert {
        "sources",
        "articles",
        "article_versions",
        "article_paragraphs",
        "article_images",
        "article_attachments",
        "pages",
        "runs",
        "fetch_errors",
        "latest_articles",
        "daily_counts",
        "source_health",
    } <= names
    missing = [t.name for t in schema.tables if not t.comment]
    missing += [f"{t.name}.{c.name}" for t in schema.tables for c in t.columns if not c.comment]
    assert missing == []
    assert "articles (table): One row per article" in schema.to_text()


def test_a_failing_migration_leaves_no_trace(wh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mig = importlib.import_module("pressroom.warehouse.migrate")  # the package re-exports migrate()

    real = mig.available_migrations()
    broken = [*real, mig.Migration(999, "broken", "CREATE TABLE x (a INT); SELECT nonsense;")]
    monkeypatch.setattr(mig, "available_migrations", lambda: broken)
    with pytest.raises(WarehouseError), connect(wh):
        pass
    con = duckdb.connect(str(wh), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        versions = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
    finally:
        con.close()
    assert "x" not in tables
    assert versions == {m.version for m in real}


def test_read_only_open_of_missing_file_is_a_clear_error(wh: Path) -> None:
    with pytest.raises(WarehouseError, match="does not exist yet"), connect(wh, read_only=True):
        pass


def test_the_baseline_holds_no_search_tables_and_no_keys_on_the_large_tables(wh: Path) -> None:
    """The schema of 001_baseline.sql: search lives beside the file (nothing of it inside),
    articles, article_versions and pages carry no PRIMARY KEY (the loader keeps them unique),
    the second and third copies of the bodies are ZSTD, and every column is commented."""
    with connect(wh) as con:
        left = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'search%'"
            " UNION ALL SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'search%'"
            " UNION ALL SELECT sequence_name FROM duckdb_sequences()"
        ).fetchall()
        keys = con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
            " ORDER BY 1"
        ).fetchall()
        zstd = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE sql LIKE '%USING COMPRESSION ZSTD%'"
            " ORDER BY 1"
        ).fetchall()
        comments = con.execute(_COMMENTS).fetchall()
        with pytest.raises(duckdb.ConstraintException):  # the key columns stay NOT NULL
            con.execute(
                "INSERT INTO pages (source_id, status, fetched_at, run_id) VALUES"
                " ('city', 200, '2024-01-01', 'r')"
            )
    assert left == []
    assert [k[0] for k in keys] == [
        "list_templates",
        "loaded_batches",
        "runs",
        "schema_version",
        "sources",
    ]
    assert zstd == [("article_paragraphs",), ("article_versions",)]
    assert comments and all(c[-1] for c in comments)


_COMMENTS = """
SELECT table_name, column_name, comment FROM duckdb_columns()
WHERE table_name IN ('articles', 'article_versions', 'article_paragraphs', 'pages')
ORDER BY table_name, column_index
"""
