"""Staging one run's outcome: Parquet files built in the parse pool (no Prefect here)."""

from __future__ import annotations

from pathlib import Path

from pressroom.config import SourceConfig
from pressroom.core.runs import RunRecord, SourceRecord
from pressroom.flows.crawl.outcome import SourceOutcome
from pressroom.warehouse.staging import stage_batch

__all__ = ["stage_outcome"]


def stage_outcome(
    staging_dir: Path, source: SourceConfig, run: RunRecord, outcome: SourceOutcome
) -> Path:
    """Write one run's batch to ``staging_dir`` durably (see
    :func:`pressroom.warehouse.stage_batch`)."""
    return stage_batch(
        staging_dir,
        run=run,
        sources=[
            SourceRecord(
                source_id=source.id,
                name=source.display_name,
                timezone=source.timezone,
                language=source.language,
                start_urls=source.start_urls,
            )
        ],
        articles=outcome.articles,
        unchanged=outcome.unchanged,
        pages=outcome.pages,
        errors=outcome.errors,
        templates=outcome.templates,
    )
