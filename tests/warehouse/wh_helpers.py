"""Builders and readers shared by the warehouse tests (sqlite-utils style: lists of dicts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pressroom.core.articles import ArticleRecord
from pressroom.core.runs import RunRecord, SeenUnchanged, StagedArticle
from pressroom.warehouse import LoadReport, connect, load_pending, stage_batch

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def run(run_id: str = "run-1", **kw: Any) -> RunRecord:
    values: dict[str, Any] = {
        "flow": "ingest",
        "mode": "scheduled",
        "started_at": T0,
        "source_id": "city",
    }
    values.update(kw)
    return RunRecord(run_id=run_id, **values)


def article(
    n: int,
    *,
    source_id: str = "city",
    title: str | None = None,
    paragraphs: Sequence[str] | None = None,
    fetched_at: datetime = T0,
    **kw: Any,
) -> StagedArticle:
    url = f"https://{source_id}.example/news/{n}"
    record = ArticleRecord(
        url=url,
        title=title if title is not None else f"Article {n}",
        published_at=kw.pop("published_at", T0 - timedelta(days=n)),
        paragraphs=tuple(paragraphs if paragraphs is not None else (f"First {n}.", "Second.")),
        **kw,
    )
    return StagedArticle(source_id, f"{source_id}-{n}", url, record, fetched_at)


def load(wh: Path, staging: Path, run_record: RunRecord | None = None, **batch: Any) -> LoadReport:
    """Stage one batch and load it; return the LoadReport."""
    stage_batch(staging, run=run_record or run(), **batch)
    return load_pending(wh, staging, lock_timeout=5)


def rows(wh: Path, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    with connect(wh, read_only=True) as con:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def seen(source_id: str, n: int, at: datetime) -> SeenUnchanged:
    return SeenUnchanged(source_id, f"{source_id}-{n}", at)
