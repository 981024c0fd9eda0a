"""Issue 2 end to end: the demo newsroom over real HTTP, a real Prefect flow, a real DuckDB."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pressroom.demo import DemoNewsroom, load_articles
from tests.e2e.conftest import query, run_cli

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

SEED_TITLE = 'The High-tech Zone opened "double engine" and drove to "new track"'


def _warehouse_articles(warehouse: Path) -> dict[str, dict]:
    rows = query(
        warehouse,
        "SELECT url, source_id, title, published_at, author, origin, body_text FROM articles",
    )
    keys = ("source_id", "title", "published_at", "author", "origin", "body_text")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


def test_demo_loads_every_article_cleanly_and_a_rerun_adds_nothing(tmp_path: Path) -> None:
    result = run_cli("demo", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Try next:" in result.output and "sql" in result.output
    warehouse = tmp_path / "pressroom.duckdb"
    loaded = _warehouse_articles(warehouse)
    assert len(loaded) >= 60

    expected = {
        family: {a.path: a for a in load_articles(family)} for family in ("hightech", "cityhall")
    }
    for url, row in loaded.items():
        path = url.split("://", 1)[1].split("/", 1)[1]
        truth = expected[row["source_id"]]["/" + path]
        assert row["title"] == truth.title, url
        assert row["published_at"] == truth.published_utc, url
        assert row["body_text"] == truth.body_text, url
        assert row["author"] == truth.author, url
        assert row["origin"] == truth.origin, url

    (seed,) = [row for row in loaded.values() if row["title"] == SEED_TITLE]
    assert seed["published_at"] == datetime(2023, 3, 15, 8, 34, tzinfo=UTC)
    assert len(seed["body_text"].split("\n\n")) == 3
    (paragraphs,) = query(
        warehouse,
        "SELECT count(*) FROM article_paragraphs JOIN articles USING (article_id) WHERE title = ?",
        [SEED_TITLE],
    )
    assert paragraphs == (3,)

    before = query(warehouse, "SELECT count(*) FROM articles")
    versions = query(warehouse, "SELECT count(*) FROM article_versions")
    again = run_cli("demo", "--dir", str(tmp_path))
    assert again.exit_code == 0, again.output
    assert query(warehouse, "SELECT count(*) FROM articles") == before
    assert query(warehouse, "SELECT count(*) FROM article_versions") == versions
    last = query(
        warehouse,
        "SELECT articles_new, articles_updated, articles_fetched, status FROM runs "
        "ORDER BY finished_at DESC LIMIT 2",
    )
    assert last == [(0, 0, 0, "completed")] * 2  # everything answered 304


def test_backfill_loads_exactly_the_articles_in_the_range(
    newsroom: DemoNewsroom, demo_config: Path
) -> None:
    since, until = date(2023, 1, 1), date(2023, 6, 30)
    result = run_cli(
        "--config", str(demo_config), "backfill", "hightech",
        "--since", since.isoformat(), "--until", until.isoformat(),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    wanted = {
        a.title for a in newsroom.articles("hightech") if since <= a.published.date() <= until
    }
    assert wanted
    rows = query(demo_config.parent / "wh.duckdb", "SELECT source_id, title FROM articles")
    assert {title for _, title in rows} == wanted
    assert {source for source, _ in rows} == {"hightech"}
    months = query(
        demo_config.parent / "wh.duckdb",
        "SELECT DISTINCT json_extract_string(parameters, '$.chunk') FROM runs "
        "WHERE mode = 'backfill'",
    )
    assert len(months) >= 2  # one runs row per month chunk

    again = run_cli(
        "--config", str(demo_config), "backfill", "hightech", "--since", since.isoformat(),
        "--until", until.isoformat(),
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert len(query(demo_config.parent / "wh.duckdb", "SELECT title FROM articles")) == len(wanted)


def test_sql_command_formats_and_refuses_writes(demo_config: Path) -> None:
    assert run_cli("--config", str(demo_config), "ingest", "cityhall").exit_code == 0
    table = run_cli("--config", str(demo_config), "sql", "SELECT count(*) AS n FROM articles")
    assert table.exit_code == 0
    assert table.output.splitlines()[0].strip() == "n"
    assert "(1 row)" in table.output

    as_json = run_cli(
        "--config", str(demo_config), "sql", "--format", "json",
        "SELECT source_id, count(*) AS n FROM articles GROUP BY source_id",
    )  # fmt: skip
    assert json.loads(as_json.output) == [{"source_id": "cityhall", "n": 35}]

    as_csv = run_cli(
        "--config", str(demo_config), "sql", "--format", "csv",
        "SELECT title FROM articles ORDER BY published_at LIMIT 2",
    )  # fmt: skip
    assert as_csv.output.splitlines()[0] == "title"
    assert len(as_csv.output.splitlines()) == 3

    refused = run_cli("--config", str(demo_config), "sql", "DELETE FROM articles")
    assert refused.exit_code == 2  # a refused statement is a usage error (README)
    assert "read-only" in refused.output.lower()
    assert query(demo_config.parent / "wh.duckdb", "SELECT count(*) FROM articles") == [(35,)]
