"""Staging: atomic batch directories, stable content hashes, validation of run records."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path

import pytest

import pressroom.warehouse.staging as staging_mod
from pressroom.core.articles import ArticleRecord
from pressroom.core.runs import RunRecord, content_hash
from pressroom.warehouse import pending_batches, stage_batch
from tests.warehouse.wh_helpers import T0, article, run


def test_a_batch_is_a_complete_directory(staging: Path) -> None:
    batch = stage_batch(staging, run=run(), articles=[article(1), article(2)])
    assert pending_batches(staging) == [batch]
    manifest = json.loads((batch / "manifest.json").read_text())
    assert manifest["run_id"] == "run-1"
    assert manifest["counts"]["articles"] == 2 and manifest["counts"]["paragraphs"] == 4
    assert sorted(p.name for p in batch.iterdir()) == [
        "articles.parquet",
        "manifest.json",
        "paragraphs.parquet",
        "run.parquet",
    ]


def test_batch_ids_sort_in_staging_order(staging: Path) -> None:
    made = [stage_batch(staging, run=run()) for _ in range(5)]
    assert pending_batches(staging) == made


def test_a_failure_while_staging_leaves_nothing(
    staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(directory: Path, name: str, table: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(staging_mod, "_write_arrow", broken)
    with pytest.raises(Exception, match="disk full"):
        stage_batch(staging, run=run(), articles=[article(1)])
    assert list(staging.iterdir()) == []


def test_content_hash_is_stable_and_sensitive() -> None:
    rec = ArticleRecord(url="u", title="T", published_at=T0, paragraphs=("a", "b"))
    same_instant = ArticleRecord(
        url="other",
        title="T",
        published_at=T0.astimezone(timezone(timedelta(hours=8))),
        paragraphs=("a", "b"),
        images=(),
        warnings=("ignored",),
    )
    assert content_hash(rec) == content_hash(same_instant)
    assert content_hash(rec) != content_hash(
        ArticleRecord(url="u", title="T", published_at=T0, paragraphs=("a", "b", "c"))
    )
    # Pinned: a change to the hash would make every stored article look corrected on the next run.
    assert content_hash(rec) == "284a8161f6cad0b179da44d607f4f94c91a122da2f34bf96640ea2ce18181765"


@pytest.mark.parametrize("field,value", [("mode", "hourly"), ("status", "done"), ("run_id", "")])
def test_run_record_rejects_unknown_values_before_staging(field: str, value: str) -> None:
    values = {"run_id": "r", "flow": "ingest", "mode": "manual", "started_at": T0}
    values[field] = value
    with pytest.raises(ValueError, match=field):
        RunRecord(**values)
