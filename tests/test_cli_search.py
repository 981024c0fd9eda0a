"""`pressroom search`: filters, phrases, snippets and formats through the CLI; --reindex."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressroom.cli import main
from pressroom.core.articles import ArticleRecord
from pressroom.core.runs import RunRecord, StagedArticle
from pressroom.warehouse import load_pending, stage_batch

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def _article(n: int, title: str, body: str, source: str = "city") -> StagedArticle:
    url = f"https://{source}.example/news/{n}"
    record = ArticleRecord(
        url=url, title=title, published_at=T0 - timedelta(days=n), paragraphs=(body,)
    )
    return StagedArticle(source, f"{source}-{n}", url, record, T0)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    wh = tmp_path / "wh.duckdb"
    run = RunRecord("run-1", "ingest", "manual", T0, status="completed")
    articles = [
        _article(1, "Water main repair", "Crews fix the water main on Elm Street."),
        _article(2, "Budget hearing", "The main water supply is safe, the council says."),
        _article(3, "高新区举办创新大赛", "成都高新区今日举办创新创业大赛。"),
    ]
    stage_batch(tmp_path / "staging", run=run, articles=articles)
    assert load_pending(wh, tmp_path / "staging").ok
    path = tmp_path / "pressroom.toml"
    path.write_text(
        '[warehouse]\npath = "wh.duckdb"\n\n[[sources]]\nid = "city"\nname = "City"\n'
        'timezone = "UTC"\nstart_urls = ["https://city.example/news/"]\n',
        encoding="utf-8",
    )
    return path


def _search(config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), "search", *args])
    return result.exit_code, result.output


def test_json_hits_carry_a_snippet_with_the_matched_words(config: Path) -> None:
    code, out = _search(config, '"water main"', "--format", "json")
    assert code == 0, out
    hits = json.loads(out)
    assert [h["url"] for h in hits] == ["https://city.example/news/1"]
    assert hits[0]["snippet"] == "Crews fix the **water** **main** on Elm Street"
    assert set(hits[0]) >= {"score", "source_id", "published_at", "title", "url", "snippet"}


def test_csv_and_dates_and_chinese(config: Path) -> None:
    code, out = _search(config, "water", "--until", "2024-02-28", "--format", "csv")
    assert code == 0, out
    got = list(csv.DictReader(io.StringIO(out)))
    assert [r["url"] for r in got] == ["https://city.example/news/2"]
    code, out = _search(config, "高新区", "--since", "2024-02-27", "--source", "city")
    assert code == 0 and "高新区举办创新大赛" in out and "**高新区**" in out


def test_reindex_rebuilds_a_lost_index(config: Path) -> None:
    shutil.rmtree(config.parent / "wh.duckdb.search")
    result = CliRunner().invoke(main, ["--config", str(config), "search", "--reindex"])
    assert result.exit_code == 0, result.output
    assert "search index rebuilt: 3 article(s)" in result.stderr
    assert (config.parent / "wh.duckdb.search").is_dir()
    code, out = _search(config, "council", "--format", "json")
    assert code == 0 and [h["url"] for h in json.loads(out)] == ["https://city.example/news/2"]


def test_no_words_and_no_reindex_is_a_usage_error(config: Path) -> None:
    code, _ = _search(config)
    assert code == 2
