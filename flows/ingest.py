"""Prefect flows: ``ingest`` and ``backfill`` (``reparse`` is :mod:`pressroom.flows.reparse`).

Thin orchestration over :mod:`pressroom.flows.source_run` (one source's run, chunk by chunk,
with the tasks of :mod:`pressroom.flows.crawl_tasks` over :mod:`pressroom.flows.crawl.pipeline`),
:mod:`pressroom.flows.loading` (stage and load) and :mod:`pressroom.flows.report` (summaries);
:mod:`pressroom.flows.flow_state` turns the summaries into the flow run's state. Tasks work on
batches: a listing walk, a batch of pages, a parse, a load; retries sit on fetching only. Batch
arguments (pages, outcomes, crawl state) are passed ``quote``-d so that Prefect does not walk
every record of them looking for futures: that walk cost more CPU per article than fetching it.
Every source in a run gets its own ``runs`` row; each is staged durably before it is loaded, so
a locked warehouse loses nothing.
"""

from __future__ import annotations

import asyncio
from datetime import date

from prefect import flow, get_run_logger
from prefect.states import State

from pressroom.config import Config, SourceConfig, load_config
from pressroom.core.errors import PressroomError
from pressroom.core.tuning import freeze_startup_objects, tune_process
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.pipeline import archive_and_extract
from pressroom.flows.flow_state import final_state
from pressroom.flows.progress import Progress
from pressroom.flows.report import RunSummary, publish_summary
from pressroom.flows.run_request import RunRequest
from pressroom.flows.source_run import run_source
from pressroom.flows.staging import stage_outcome

POOL_WORK = (archive_and_extract, discover, stage_outcome)
"""What runs in the parse pool: its workers import these functions' modules as they start."""

__all__ = ["POOL_WORK", "backfill", "ingest"]


async def _run_sources(
    config: Config, sources: tuple[SourceConfig, ...], request: RunRequest
) -> list[RunSummary]:
    tune_process()  # a served deployment's run has no CLI entry point before it
    freeze_startup_objects()
    archive = RawArchive(config.archive_dir)
    pool = ParsePool.shared(config.crawler.parse_workers, preload=POOL_WORK)
    with Progress() as progress, pool as parser:
        async with Fetcher(config.crawler) as fetcher:
            per_source = await asyncio.gather(
                *(
                    run_source(config, s, fetcher, archive, request, progress, parser)
                    for s in sources
                ),
                return_exceptions=True,
            )
    summaries: list[RunSummary] = []
    for source, group in zip(sources, per_source, strict=True):
        if isinstance(group, Exception):  # one source's failure never hides the others'
            if not isinstance(group, PressroomError):  # a bug: its traceback is for the log
                get_run_logger().error("%s failed", source.id, exc_info=group)
            summaries.append(RunSummary.failed(source, group))
        elif isinstance(group, BaseException):  # cancelled or interrupted: not a result
            raise group
        else:
            summaries.extend(group)
    if summaries:
        await publish_summary(request.flow, summaries)
    return summaries


@flow(name="ingest")
async def ingest(
    source_ids: list[str] | None = None,
    config_path: str | None = None,
    recheck: bool = False,
    mode: str = "manual",
) -> State:
    """One incremental run for the given sources (all enabled sources by default)."""
    config = load_config(config_path)
    sources = config.select(source_ids)
    request = RunRequest(flow="ingest", mode=mode, recheck=recheck)
    return final_state(await _run_sources(config, sources, request))


@flow(name="backfill")
async def backfill(
    source_id: str,
    since: date,
    until: date | None = None,
    refetch: bool = False,
    config_path: str | None = None,
) -> State:
    """Walk back through a source's listings and load the articles published in [since, until]."""
    if until is not None and since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    config = load_config(config_path)
    source = config.source(source_id)
    request = RunRequest(
        flow="backfill", mode="backfill", since=since, until=until, refetch=refetch
    )
    return final_state(await _run_sources(config, (source,), request))
