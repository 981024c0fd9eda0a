"""One source's run (:func:`run_source`): discover, then fetch, extract, stage and load chunk by
chunk, the chunks overlapping (the next one's requests queue at the host while this one is
parsed, staged and loaded). Batch arguments are passed ``quote``-d to the tasks (see
:mod:`pressroom.flows.ingest`)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime

from prefect import get_run_logger
from prefect.utilities.annotations import quote

from pressroom.config import Config, SourceConfig
from pressroom.core.errors import SourceUnreachable
from pressroom.core.runs import RunRecord
from pressroom.flows.batching import RunStager
from pressroom.flows.chunks import HandledLinks, split_chunks
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.article_fetch import FetchTarget
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.outcome import SourceOutcome, error_records
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.pipeline import FETCH_BATCH_SIZE
from pressroom.flows.crawl.planning import plan_targets
from pressroom.flows.crawl_tasks import discover_task, fetch_and_extract_task
from pressroom.flows.loading import read_history_task, read_state_task
from pressroom.flows.progress import LISTING, Progress
from pressroom.flows.report import RunSummary
from pressroom.flows.run_finish import finish_run, listing_pages, template_records
from pressroom.flows.run_request import RunRequest, run_parameters

__all__ = ["BATCHES_AHEAD", "CHUNKS_AHEAD", "run_source", "unreachable"]


CHUNKS_AHEAD = 3  # chunks of one source being fetched, parsed or loaded at once
BATCHES_AHEAD = 2  # fetch batches of one source queued at its host at once


async def run_source(
    config: Config,
    source: SourceConfig,
    fetcher: Fetcher,
    archive: RawArchive,
    request: RunRequest,
    progress: Progress,
    parser: ParsePool,
) -> list[RunSummary]:
    """Discover, then fetch, extract, stage and load one source, chunk by chunk.

    An ingest is one chunk; a backfill is one chunk per month of listing dates (plus one for
    undated links), each its own ``runs`` row, so a failed month can be re-run on its own.
    """
    progress.start(source.id)
    state = await read_state_task(config, source)
    history = await read_history_task(config, source)
    discovery = await discover_task(source, fetcher, quote(state), request, parser)
    if unreachable(discovery):
        first = discovery.errors[0]
        raise SourceUnreachable(
            f"could not reach the site ({first.reason}); nothing was written",
            url=first.url,
            source=source.id,
            stage=first.stage,
        )
    listing = SourceOutcome(source.id)
    listing.counts["listing_pages"] = discovery.pages_fetched
    listing.counts["not_modified"] += discovery.not_modified
    listing.counts["errors"] += len(discovery.errors)
    listing.counts["templates_relearned"] += len(discovery.relearned)
    for _start, page_url in discovery.relearned:
        listing.sample("templates_relearned", page_url)
    listing.counts["uncertain_dates"] += discovery.uncertain_dates
    date_order = discovery.date_order.describe() if discovery.date_order else None
    progress.update(source.id, listing.counts, LISTING)
    handled = HandledLinks()

    # Chunks overlap: the next chunk's requests queue at the host while this one's are still in
    # flight, and each chunk is parsed, staged and loaded in the background. Fetching waits only
    # while CHUNKS_AHEAD chunks of the source are not loaded yet (so memory stays bounded).
    window = asyncio.Semaphore(CHUNKS_AHEAD)
    fetching = asyncio.Semaphore(BATCHES_AHEAD)

    async def fetch_and_parse(batch: list[FetchTarget], stager: RunStager) -> None:
        async with fetching:
            await fetch_and_extract_task(
                source,
                fetcher,
                quote(batch),
                stager.run.run_id,
                archive,
                request,
                parser,
                stager,
                discovery.all_date_evidence,
            )
        progress.update(source.id, stager.totals.counts, stager.run.run_id)

    async def complete(
        targets: list[FetchTarget],
        outcome: SourceOutcome,
        run_id: str,
        started: datetime,
        label: str | None,
        last_chunk: bool,
    ) -> RunSummary:
        try:
            stager = RunStager(
                config,
                source,
                RunRecord(
                    run_id=run_id,
                    flow=request.flow,
                    mode=request.mode,
                    source_id=source.id,
                    parameters=run_parameters(request, label),
                    started_at=started,
                    date_order=date_order,
                    date_day_first=discovery.date_evidence.day_first,
                    date_month_first=discovery.date_evidence.month_first,
                    date_example=discovery.date_evidence.example,
                ),
                outcome,
                parser,
                batch_articles=config.crawler.stage_batch_articles,
                batch_seconds=config.crawler.stage_batch_seconds,
            )
            batches = [
                targets[start : start + FETCH_BATCH_SIZE]
                for start in range(0, len(targets), FETCH_BATCH_SIZE)
            ]
            await asyncio.gather(*(fetch_and_parse(batch, stager) for batch in batches))
            handled.add(stager.failed_urls)
            last = SourceOutcome(source.id)
            if last_chunk:  # every article batch of the source is staged: now the listings
                await handled.all_staged()
                last.pages += listing_pages(source, discovery, handled.failed)
                last.templates += template_records(source, discovery, state)
            summary = await finish_run(
                source, stager, last, history, notes=discovery.notes if last_chunk else []
            )
        finally:
            window.release()
            handled.chunk_done()
        progress.done(source.id, summary)
        return summary

    finishing: list[asyncio.Task[RunSummary]] = []
    chunks = split_chunks(discovery.links, request)
    handled.expect(len(chunks))
    try:
        for number, (label, links) in enumerate(chunks):
            await window.acquire()
            for failed in (task for task in finishing if task.done()):
                failed.result()  # a chunk that failed stops the source now, as before
            run_id = uuid.uuid4().hex
            started = datetime.now(UTC)
            outcome = SourceOutcome(source.id)
            if number == 0:  # the listing walk is accounted to the first chunk
                outcome.merge(listing)
                outcome.errors += error_records(source.id, discovery.errors, run_id)
            plan = plan_targets(
                source,
                state,
                [link.url for link in links],
                now=started,
                recheck_all=request.recheck,
                refetch=request.refetch,
                revisit=request.mode != "backfill",
                give_up_after=config.crawler.give_up_after_runs,
            )
            listed = {link.url: link.published_at for link in links}
            plan.targets = [replace(t, listed_at=listed.get(t.url)) for t in plan.targets]
            outcome.counts["given_up"] += len(plan.given_up)
            for url in plan.given_up:
                outcome.sample("given_up", url)
            progress.expect(source.id, len(plan.targets), run_id)
            last_chunk = number == len(chunks) - 1
            finishing.append(
                asyncio.ensure_future(
                    complete(plan.targets, outcome, run_id, started, label, last_chunk)
                )
            )
        summaries = [await task for task in finishing]
        _warn_date_disagreements(source, summaries)
        return summaries
    finally:
        for task in finishing:
            task.cancel()


def _warn_date_disagreements(source: SourceConfig, summaries: list[RunSummary]) -> None:
    """One warning per source when article pages named other days than their listing rows."""
    count = sum(s.counts.get("date_disagreements", 0) for s in summaries)
    if not count:
        return
    samples = [u for s in summaries for u in s.samples.get("date_disagreements", [])][:3]
    get_run_logger().warning(
        "%s: %d article page(s) name another day than the listing; the page's date was kept"
        " (e.g. %s)",
        source.id,
        count,
        ", ".join(samples),
    )


def unreachable(discovery: Discovery) -> bool:
    """True when every start URL, feed and sitemap failed without an answer (no status)."""
    return (
        discovery.pages_fetched == 0
        and not discovery.links
        and bool(discovery.errors)
        and all(error.status is None for error in discovery.errors)
    )
