"""Prefect flows: ``ingest``, ``backfill`` and ``reparse``.

Thin orchestration over :mod:`pressroom.flows.crawl.pipeline` (fetch and extract),
:mod:`pressroom.flows.loading` (stage
and load) and :mod:`pressroom.flows.report` (summaries). Tasks work on batches: a listing walk, a
batch of
pages, a parse, a load; retries sit on fetching only. Batch arguments (pages, outcomes, crawl
state) are passed ``quote``-d so that Prefect does not walk every record of them looking for
futures: that walk cost more CPU per article than fetching it. Every source in a run gets its own
``runs`` row; each is staged durably before it is loaded, so a locked warehouse loses nothing.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State
from prefect.utilities.annotations import quote

from pressroom.config import Config, SourceConfig, load_config
from pressroom.core.articles import DateOrderEvidence, ListingLink
from pressroom.core.crawl_state import CrawlState
from pressroom.core.errors import PressroomError, RunDegraded, RunFailed, SourceUnreachable
from pressroom.core.runs import PageRecord, RunRecord, TemplateRecord
from pressroom.core.tuning import freeze_startup_objects, tune_process
from pressroom.flows.batching import RunStager
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.article_fetch import FetchTarget
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome, error_records, run_counts
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.pipeline import FETCH_BATCH_SIZE, archive_and_extract, fetch_and_extract
from pressroom.flows.crawl.planning import plan_targets
from pressroom.flows.health import degraded_reason
from pressroom.flows.loading import (
    read_history_task,
    read_state_task,
    stage_and_load,
    stage_and_load_task,
)
from pressroom.flows.progress import LISTING, Progress
from pressroom.flows.report import RunSummary, publish_summary
from pressroom.flows.staging import stage_outcome
from pressroom.warehouse.history import SourceHistory

POOL_WORK = (archive_and_extract, discover, stage_outcome)
"""What runs in the parse pool: its workers import these functions' modules as they start."""

__all__ = [
    "DEGRADED",
    "backfill",
    "final_state",
    "ingest",
    "run_source",
    "stage_and_load",
    "stage_and_load_task",
]


DEGRADED = "Degraded"
"""The name of a degraded flow run's (Failed) state; its event is prefect.flow-run.Degraded."""
CHUNKS_AHEAD = 3  # chunks of one source being fetched, parsed or loaded at once
BATCHES_AHEAD = 2  # fetch batches of one source queued at its host at once


@dataclass(frozen=True)
class RunRequest:
    """What a flow asks of one source."""

    flow: str
    mode: str
    since: date | None = None
    until: date | None = None
    recheck: bool = False
    refetch: bool = False


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
    handled = _HandledLinks()

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
                    parameters=_parameters(request, label),
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
                config, source, request, stager, last, history, started, label,
                notes=discovery.notes if last_chunk else [],
            )  # fmt: skip
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


def split_chunks(
    links: list[ListingLink], request: RunRequest
) -> list[tuple[str | None, list[ListingLink]]]:
    """One chunk for an ingest; for a backfill one per month of listing date, undated last
    (with the links whose numeric date is ambiguous: their month is not known yet)."""
    if request.mode != "backfill":
        return [(None, links)]
    months: dict[str, list[ListingLink]] = {}
    undated: list[ListingLink] = []
    for link in links:
        if link.published_at is None or link.date_uncertain:
            undated.append(link)
        else:
            months.setdefault(link.published_at.strftime("%Y-%m"), []).append(link)
    chunks: list[tuple[str | None, list[ListingLink]]] = sorted(months.items())
    if undated or not chunks:
        chunks.append(("undated", undated))
    return chunks


class _HandledLinks:
    """Which article links of a source's run failed, known once every chunk has staged.

    The listing pages (and their validators) are staged with the last chunk's final batch,
    after the article batches of every chunk: a chunk still loading could fail yet.
    """

    def __init__(self) -> None:
        self.failed: set[str] = set()
        self._open = 0
        self._done = asyncio.Event()

    def expect(self, chunks: int) -> None:
        self._open = chunks
        if chunks <= 1:
            self._done.set()

    def add(self, failed: set[str]) -> None:
        self.failed |= failed

    def chunk_done(self) -> None:
        self._open -= 1
        if self._open <= 1:
            self._done.set()

    async def all_staged(self) -> None:
        """Wait until every chunk but the calling (last) one has finished."""
        await self._done.wait()


def listing_pages(source: SourceConfig, discovery: Discovery, failed: set[str]) -> list[PageRecord]:
    """``pages`` rows for the listing, feed and sitemap responses of a run.

    A 304 changes nothing worth writing (the stored validators stay valid). A page keeps its
    validators only when its walk handled everything behind it (``ListingFetch.trusted``) and
    none of its article links failed; otherwise they are dropped, so that the next run reads
    the page again instead of stopping at a 304 over articles it never stored.
    """
    rows = []
    for page in discovery.listing_pages:
        if page.not_modified:
            continue
        if not page.trusted or failed.intersection(page.links):
            page = replace(page, etag=None, last_modified=None)
        rows.append(PageRecord.of(source.id, page, url=page.url))
    return rows


def template_records(
    source: SourceConfig, discovery: Discovery, state: CrawlState
) -> list[TemplateRecord]:
    """``list_templates`` rows for the templates this run learned or re-learned (a template
    read back unchanged is not written again)."""
    now = datetime.now(UTC)
    return [
        TemplateRecord(source.id, start_url, template.to_json(), now)
        for start_url, template in discovery.templates.items()
        if state.templates.get(start_url) != template
    ]


async def finish_run(
    config: Config,
    source: SourceConfig,
    request: RunRequest,
    stager: RunStager,
    last: SourceOutcome,
    history: SourceHistory,
    started: datetime,
    chunk: str | None,
    notes: list[str] | None = None,
) -> RunSummary:
    """Decide the run's status, stage and load its final batch, and log what needs a person
    (``notes``: what discovery found worth saying, such as a listing capped by its CMS)."""
    logger = get_run_logger()
    outcome = stager.totals
    run_id = stager.run.run_id
    degraded = degraded_reason(source.id, outcome.counts, history, outcome.samples)
    for note in notes or []:
        logger.warning(note)
    notes_text = "; ".join([n for n in [degraded, *(notes or [])] if n]) or None
    if degraded:
        status = "degraded"
        logger.warning(degraded)
    elif outcome.counts["errors"] and not stager.records_seen and not last.articles:
        status = "failed"
    else:
        status = "completed"
    run = RunRecord(
        run_id=run_id,
        flow=request.flow,
        mode=request.mode,
        source_id=source.id,
        parameters=_parameters(request, chunk),
        started_at=started,
        finished_at=datetime.now(UTC),
        status=status,
        **run_counts(outcome.counts),
        notes=notes_text,
        date_order=stager.run.date_order,
        date_day_first=stager.run.date_day_first,
        date_month_first=stager.run.date_month_first,
        date_example=stager.run.date_example,
    )
    loaded = await stager.finish(run, last)
    outcome.errors = stager.first_errors
    summary = RunSummary.build(source, run, outcome, loaded)
    if summary.pending:  # articles this run extracted that the locked warehouse did not take
        counts = summary.counts  # (known articles that answered 304 are not counted)
        taken = counts.get("articles_new", 0) + counts.get("articles_updated", 0)
        summary.staged = max(0, stager.articles_seen - taken)
    if loaded["failed"]:  # kept in staging_dir/_failed for a person to look at
        summary.status = "failed"
        summary.first_errors = loaded["failed"] + summary.first_errors
        logger.error("%s: %s", source.id, "; ".join(loaded["failed"]))
    if summary.pending:
        logger.warning(
            "%s: warehouse busy, %d batch(es) stay staged for the next run or `pressroom load`",
            source.id,
            summary.pending,
        )
    return summary


def _parameters(request: RunRequest, chunk: str | None) -> dict[str, Any]:
    from prefect.runtime import flow_run

    return {
        "chunk": chunk,
        "since": request.since.isoformat() if request.since else None,
        "until": request.until.isoformat() if request.until else None,
        "recheck": request.recheck,
        "refetch": request.refetch,
        "flow_run_id": str(flow_run.id) if flow_run.id else None,
    }


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


def final_state(summaries: list[RunSummary]) -> State:
    """Failed when a source failed; Failed named "Degraded" when one degraded; else Completed.

    A degraded run must not look green in the Prefect UI: its state has the Failed type (red,
    counted in the failed runs) under the name "Degraded", with the reasons as its message, so
    an automation can react to the event ``prefect.flow-run.Degraded``. The data that did load
    is good; the alarm is for a person. Every state carries all the sources' summaries (the
    data of a Failed state is :class:`RunFailed`, of a Degraded one :class:`RunDegraded`).
    """
    data = [s.as_dict() for s in summaries]
    failed = [s for s in summaries if s.status == "failed"]
    if failed:  # the flow run is Failed; its exception carries every source's summary
        message = _reasons(failed)
        return Failed(message=message, data=RunFailed(message, data))
    degraded = [s for s in summaries if s.status == "degraded"]
    if not degraded:
        return Completed(data=data)
    message = _reasons(degraded)  # Prefect logs it: "Finished in state Degraded(...)"
    return Failed(name=DEGRADED, message=message, data=RunDegraded(message, data))


def _reasons(summaries: list[RunSummary]) -> str:
    """One reason per source (a backfill's months of one source share it), naming it once."""
    reasons = [s.reason() or f"{s.source_id}: {s.status}" for s in summaries]
    return "; ".join(dict.fromkeys(reasons))


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
