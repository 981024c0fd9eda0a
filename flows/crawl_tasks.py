"""The Prefect tasks of a source's crawl: ``walk-listings`` (discovery, retried twice) and
``fetch-and-extract`` (a batch of pages, retried once); retries sit on fetching only."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from pressroom.config import SourceConfig
from pressroom.core.articles import DateOrderEvidence
from pressroom.core.crawl_state import CrawlState
from pressroom.flows.batching import RunStager
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.article_fetch import FetchTarget
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.pipeline import archive_and_extract, fetch_and_extract
from pressroom.flows.run_request import RunRequest

__all__ = ["discover_task", "fetch_and_extract_task"]


@task(name="walk-listings", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
async def discover_task(
    source: SourceConfig,
    fetcher: Fetcher,
    state: CrawlState,
    request: RunRequest,
    parser: ParsePool | None = None,
) -> Discovery:
    return await discover(
        source,
        fetcher,
        # a refetch asks for every page of the range again, stored or not
        # pages that were not articles count as known: they never keep a walk going
        known_urls=set() if request.refetch else {*state.known_urls, *state.non_articles},
        listing_validators=state.validators,
        mode="backfill" if request.mode == "backfill" else "incremental",
        since=request.since,
        until=request.until,
        parser=parser,
        conditional=not (request.recheck or request.refetch),
        walk_to_end=state.unfinished_walk,
        templates=dict(state.templates),
        date_evidence=state.date_evidence,
    )


@task(name="fetch-and-extract", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
async def fetch_and_extract_task(
    source: SourceConfig,
    fetcher: Fetcher,
    targets: list[FetchTarget],
    run_id: str,
    archive: RawArchive,
    request: RunRequest,
    parser: ParsePool,
    stager: RunStager,
    date_evidence: DateOrderEvidence | None = None,
) -> SourceOutcome:
    """Request a batch of pages; archive and extract them in the parse pool (another core)
    group by group as they arrive, so the parse of a batch overlaps its downloads; each group
    goes to ``stager``, which stages it in the run's next batch. Returns the counts.
    ``date_evidence``: the unambiguous dates discovery saw (they order the pages' dates)."""

    async def extract(fetched: list[tuple[FetchTarget, FetchResult]]) -> SourceOutcome:
        return await parser.run(
            archive_and_extract,
            archive,
            source,
            fetched,
            run_id=run_id,
            since=request.since,
            until=request.until,
            date_evidence=date_evidence,
        )

    return await fetch_and_extract(
        source,
        fetcher,
        targets,
        run_id=run_id,
        extract=extract,
        archive=None if request.refetch else archive,
        deliver=stager.add,
    )
