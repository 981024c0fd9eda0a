"""Read-only SQL, summaries, schema text and export round trips."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pressroom.core.articles import ArticleRecord
from pressroom.core.errors import WarehouseError
from pressroom.core.runs import FetchErrorRecord, StagedArticle
from pressroom.warehouse import describe_schema, export, run_sql, source_summary
from tests.warehouse.wh_helpers import T0, article, load, rows


def test_run_sql_returns_columns_and_rows(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1)])
    assert run_sql(wh, "SELECT article_id, title FROM articles") == (
        ["article_id", "title"],
        [("city-1", "Article 1")],
    )


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM articles",
        "INSERT INTO runs (run_id) VALUES ('x')",
        "DROP TABLE articles",
        "CREATE TABLE t (a INT)",
    ],
)
def test_run_sql_refuses_writes(wh: Path, staging: Path, sql: str) -> None:
    load(wh, staging, articles=[article(1)])
    with pytest.raises(WarehouseError, match="read-only"):
        run_sql(wh, sql)
    assert rows(wh, "SELECT count(*) AS n FROM articles") == [{"n": 1}]


def test_run_sql_on_a_missing_warehouse_says_so(wh: Path) -> None:
    with pytest.raises(WarehouseError, match="does not exist yet"):
        run_sql(wh, "SELECT 1")


def test_source_summary(wh: Path, staging: Path) -> None:
    err = FetchErrorRecord("city", "https://city.example/x", "article", 404, "gone", 1, "run-1", T0)
    load(wh, staging, articles=[article(1), article(3)], errors=[err])
    assert source_summary(wh) == [
        {
            "source_id": "city",
            "name": "city",
            "articles": 2,
            "oldest": article(3).record.published_at,
            "newest": article(1).record.published_at,
            "errors": 1,
        },
    ]
    assert source_summary(wh.parent / "nope.duckdb") == []


def test_schema_text_names_tables_and_columns(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1)])
    text = str(describe_schema(wh))
    assert "article_versions (table): One row per distinct content" in text
    assert "source_health (view)" in text
    assert describe_schema(wh).table("runs").columns[0].name == "run_id"


def test_parquet_export_round_trip(wh: Path, staging: Path, tmp_path: Path) -> None:
    undated = StagedArticle(
        "county",
        "county-9",
        "https://county.example/9",
        ArticleRecord(url="https://county.example/9", title="Undated"),
        T0,
    )
    load(wh, staging, articles=[article(1), article(400), article(2, source_id="county"), undated])
    out = tmp_path / "export"
    written = export(wh, out)
    assert sorted(written) == sorted(p for p in out.rglob("*") if p.is_file())  # each file once
    parts = sorted(
        str(p.parent.relative_to(out / "articles"))
        for p in out.rglob("*.parquet")
        if "articles" in p.parts
    )
    assert parts == [
        "source_id=city/year=2023",
        "source_id=city/year=2024",
        "source_id=county/year=2024",
        "source_id=county/year=__HIVE_DEFAULT_PARTITION__",
    ]
    columns, original = run_sql(wh, "SELECT * FROM articles ORDER BY article_id")
    con = duckdb.connect()
    try:
        back = con.execute(
            f"SELECT {', '.join(columns)} FROM read_parquet('{out}/articles/**/*.parquet',"
            " hive_partitioning = true) ORDER BY article_id"
        ).fetchall()
    finally:
        con.close()
    assert back == original
    assert (out / "article_versions.parquet").exists()


def test_csv_export_round_trip(wh: Path, staging: Path, tmp_path: Path) -> None:
    load(wh, staging, articles=[article(1, title='Quotes "and", commas')])
    export(wh, tmp_path / "csv", fmt="csv")
    con = duckdb.connect()
    try:
        back = con.execute(
            f"SELECT article_id, title, body_text FROM read_csv('{tmp_path}/csv/articles.csv')"
        ).fetchall()
    finally:
        con.close()
    assert back == [("city-1", 'Quotes "and", commas', "First 1.\n\nSecond.")]


def test_export_rejects_unknown_format(wh: Path, staging: Path, tmp_path: Path) -> None:
    load(wh, staging, articles=[article(1)])
    with pytest.raises(WarehouseError, match="unknown export format"):
        export(wh, tmp_path, fmt="xml")  # type: ignore[arg-type]
