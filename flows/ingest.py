"""Prefect flows: ``ingest``, ``backfill`` and ``reparse``.

Thin orchestration over :mod:`flows.pipeline` (fetch and extract), :mod:`warehouse` (stage and
load) and :mod:`flows.report` (summaries). Tasks work on batches: a listing walk, a batch of
pages, a parse, a load; retries sit on fetching only. Every source in a run gets its own
``runs`` row; each is staged durably before it is loaded, so a locked warehouse loses nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from warehouse.staging import PageRecord, RunRecord
from warehouse.state import CrawlState

from flows.archive import RawArchive
from flows.discover import Discovery, discover
from flows.fetch import Fetcher, FetchResult
from flows.pipeline import (
    FETCH_BATCH_SIZE,
    FetchTarget,
    SourceOutcome,
    error_records,
    extract_results,
    fetch_targets,
    plan_targets,
)
from flows.progress import Progress
from flows.report import RunSummary, publish_summary
from pressroom.config import Config, SourceConfig, load_config
from warehouse import load_pending, read_crawl_state, stage_batch

__all__ = ["backfill", "ingest", "run_source"]


@dataclass(frozen=True)
class RunRequest:
    """What a flow asks of one source."""

    flow: str
    mode: str
    since: date | None = None
    until: date | None = None
    recheck: bool = False
    refetch: bool = False


@task(name="read-state", cache_policy=NO_CACHE)
def read_state_task(config: Config, source: SourceConfig) -> CrawlState:
    return read_crawl_state(config.warehouse_path, source.id, staging_dir=config.staging_dir)


@task(name="walk-listings", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
async def discover_task(
    source: SourceConfig, fetcher: Fetcher, state: CrawlState, request: RunRequest
) -> Discovery:
    return await discover(
        source,
        fetcher,
        known_urls=set(state.known_urls),
        listing_validators=state.validators,
        mode="backfill" if request.mode == "backfill" else "incremental",
        since=request.since,
        until=request.until,
    )


@task(name="fetch-pages", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
async def fetch_task(
    source: SourceConfig,
    fetcher: Fetcher,
    archive: RawArchive,
    targets: list[FetchTarget],
    run_id: str,
) -> tuple[list[tuple[FetchTarget, FetchResult, str | None]], SourceOutcome]:
    return await fetch_targets(source, fetcher, archive, targets, run_id=run_id)


@task(name="parse-pages", cache_policy=NO_CACHE)
async def parse_task(
    source: SourceConfig,
    fetched: list[tuple[FetchTarget, FetchResult, str | None]],
    run_id: str,
    request: RunRequest,
) -> SourceOutcome:
    return await asyncio.to_thread(
        extract_results,
        source,
        fetched,
        run_id=run_id,
        since=request.since,
        until=request.until,
    )


@task(name="stage-and-load", cache_policy=NO_CACHE)
def stage_and_load_task(config: Config, run: RunRecord, outcome: SourceOutcome) -> dict[str, Any]:
    stage_batch(
        config.staging_dir,
        run=run,
        articles=outcome.articles,
        unchanged=outcome.unchanged,
        pages=outcome.pages,
        errors=outcome.errors,
    )
    report = load_pending(config.warehouse_path, config.staging_dir)
    return {"counts": report.counts_for(run.run_id), "pending": report.pending}


async def run_source(
    config: Config,
    source: SourceConfig,
    fetcher: Fetcher,
    archive: RawArchive,
    request: RunRequest,
    progress: Progress,
) -> RunSummary:
    """Discover, fetch, extract, stage and load one source; returns its summary."""
    run_id = uuid.uuid4().hex
    started = datetime.now(UTC)
    logger = get_run_logger()
    state = read_state_task(config, source)
    discovery = await discover_task(source, fetcher, state, request)
    outcome = SourceOutcome(source.id)
    outcome.counts["listing_pages"] = discovery.pages_fetched
    outcome.counts["not_modified"] += discovery.not_modified
    outcome.errors += error_records(source.id, discovery.errors, run_id)
    outcome.counts["errors"] += len(discovery.errors)
    outcome.pages += [_listing_page(source, page) for page in discovery.listing_pages]
    progress.update(source.id, outcome.counts)

    targets = plan_targets(
        source,
        state,
        [link.url for link in discovery.links],
        now=started,
        recheck_all=request.recheck,
        refetch=request.refetch,
        give_up_after=config.crawler.give_up_after_runs,
    )
    progress.expect(source.id, len(targets))
    for start in range(0, len(targets), FETCH_BATCH_SIZE):
        batch = targets[start : start + FETCH_BATCH_SIZE]
        fetched, fetch_outcome = await fetch_task(source, fetcher, archive, batch, run_id)
        outcome.merge(fetch_outcome)
        outcome.merge(await parse_task(source, fetched, run_id, request))
        progress.update(source.id, outcome.counts)

    status = (
        "failed" if outcome.errors and not (outcome.articles or outcome.unchanged) else "completed"
    )
    run = RunRecord(
        run_id=run_id,
        flow=request.flow,
        mode=request.mode,
        source_id=source.id,
        parameters=_parameters(request),
        started_at=started,
        finished_at=datetime.now(UTC),
        status=status,
        counts=dict(outcome.counts),
    )
    loaded = stage_and_load_task(config, run, outcome)
    summary = RunSummary.build(source, run, outcome, loaded)
    if summary.pending:
        logger.warning(
            "%s: warehouse busy, %d batch(es) stay staged for the next run or `pressroom load`",
            source.id,
            summary.pending,
        )
    progress.done(source.id, summary)
    return summary


def _listing_page(source: SourceConfig, page: Any) -> PageRecord:
    return PageRecord(
        source_id=source.id,
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        etag=page.etag,
        last_modified=page.last_modified,
        fetched_at=page.fetched_at,
        archive_key=None,
        article_id=None,
    )


def _parameters(request: RunRequest) -> dict[str, Any]:
    from prefect.runtime import flow_run

    return {
        "since": request.since.isoformat() if request.since else None,
        "until": request.until.isoformat() if request.until else None,
        "recheck": request.recheck,
        "refetch": request.refetch,
        "flow_run_id": str(flow_run.id) if flow_run.id else None,
    }


async def _run_sources(
    config: Config, sources: tuple[SourceConfig, ...], request: RunRequest
) -> list[RunSummary]:
    archive = RawArchive(config.archive_dir)
    with Progress() as progress:
        async with Fetcher(config.crawler) as fetcher:
            summaries = await asyncio.gather(
                *(run_source(config, s, fetcher, archive, request, progress) for s in sources)
            )
    await publish_summary(request.flow, list(summaries))
    return list(summaries)


@flow(name="ingest")
async def ingest(
    source_ids: list[str] | None = None,
    config_path: str | None = None,
    recheck: bool = False,
    mode: str = "manual",
) -> list[dict[str, Any]]:
    """One incremental run for the given sources (all enabled sources by default)."""
    config = load_config(config_path)
    sources = config.select(source_ids)
    request = RunRequest(flow="ingest", mode=mode, recheck=recheck)
    return [s.as_dict() for s in await _run_sources(config, sources, request)]


@flow(name="backfill")
async def backfill(
    source_id: str,
    since: date,
    until: date | None = None,
    refetch: bool = False,
    config_path: str | None = None,
) -> list[dict[str, Any]]:
    """Walk back through a source's listings and load the articles published in [since, until]."""
    if until is not None and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    config = load_config(config_path)
    source = config.source(source_id)
    request = RunRequest(
        flow="backfill", mode="backfill", since=since, until=until, refetch=refetch
    )
    return [s.as_dict() for s in await _run_sources(config, (source,), request)]


def total_counts(summaries: list[dict[str, Any]]) -> Counter[str]:
    """Sum the per-source counts of a flow's result."""
    total: Counter[str] = Counter()
    for summary in summaries:
        total.update(summary.get("counts", {}))
    return total
