"""The article path for one source, as plain async functions (no Prefect here).

``discover -> fetch (conditional) -> archive and extract -> staged rows``. The Prefect flows in
:mod:`flows.ingest` wrap these steps in tasks; tests call them directly. Parsing runs in the
run's parse pool (:mod:`flows.parsing`, other processes) so that it never stalls the event loop
that drives the downloads: this module and its imports must never import Prefect.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from extractors.article import extract_article
from extractors.records import ArticleRecord
from extractors.urls import article_id, identity_url, normalize_url
from flows.archive import RawArchive
from flows.fetch import Fetcher, FetchResult
from pressroom.config import SourceConfig
from pressroom.errors import ExtractionError, FetchError
from warehouse.staging import FetchErrorRecord, PageRecord, SeenUnchanged, StagedArticle
from warehouse.state import CrawlState, KnownArticle

__all__ = [
    "FetchPlan",
    "FetchTarget",
    "SourceOutcome",
    "archive_and_extract",
    "error_records",
    "extract_results",
    "fetch_and_extract",
    "fetch_targets",
    "in_range",
    "plan_targets",
    "run_counts",
]

ProgressFn = Callable[[str, Counter[str]], None]
FETCH_BATCH_SIZE = 200
EXTRACT_GROUP_SIZE = 25
"""Pages of a fetch batch handed to the extractor together, as soon as all of them are in."""


@dataclass(frozen=True)
class FetchTarget:
    """One article URL to request, with the validators of the last good fetch if any."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    known_article_id: str | None = None


@dataclass
class SourceOutcome:
    """Everything one source's run produced, ready to be staged."""

    source_id: str
    articles: list[StagedArticle] = field(default_factory=list)
    unchanged: list[SeenUnchanged] = field(default_factory=list)
    pages: list[PageRecord] = field(default_factory=list)
    errors: list[FetchErrorRecord] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)

    def sample(self, kind: str, url: str, limit: int = 5) -> None:
        bucket = self.samples.setdefault(kind, [])
        if len(bucket) < limit:
            bucket.append(url)

    def merge(self, other: SourceOutcome) -> None:
        self.articles += other.articles
        self.unchanged += other.unchanged
        self.pages += other.pages
        self.errors += other.errors
        self.counts.update(other.counts)
        for kind, urls in other.samples.items():
            for url in urls:
                self.sample(kind, url)


@dataclass
class FetchPlan:
    """What a run will request, and the failing URLs it no longer tries."""

    targets: list[FetchTarget] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


GONE = (404, 410)  # recorded once; asked again only with --recheck
OLD_RECHECK_FACTOR = 4  # older articles are revalidated after 4x the recheck window
OLD_RECHECK_PER_RUN = 50  # at most this many per run, least recently seen first


def plan_targets(
    source: SourceConfig,
    state: CrawlState,
    new_urls: Iterable[str],
    *,
    now: datetime,
    recheck_all: bool = False,
    refetch: bool = False,
    revisit: bool = True,
    give_up_after: int = 5,
) -> FetchPlan:
    """Decide what to request: unseen links, failures worth retrying, and known articles.

    Articles first seen within ``source.recheck_days`` are revalidated on every run, with
    conditional requests, so that corrections become new versions; older ones on a slower
    cadence (a few per run, once they have not been seen for four windows); ``recheck_all``
    revalidates every known article. A failed URL is retried on later runs until it has failed
    in ``give_up_after`` runs, then given up (reported, not requested); a 404 or 410 is not
    retried every run, only with ``recheck_all``. ``refetch`` drops the validators so pages
    are downloaded again. With ``revisit`` false (a backfill) only ``new_urls`` are considered.
    """
    plan = FetchPlan()
    chosen: dict[str, FetchTarget] = {}

    def retry_later(url: str) -> bool:
        """Failed before: retried unless given up, or gone (404/410: only with recheck_all)."""
        failed = state.failures.get(url)
        if failed is None:
            return True
        if failed.runs >= give_up_after:
            if url not in plan.given_up:
                plan.given_up.append(url)
            return False
        return recheck_all or failed.last_status not in GONE

    for url in new_urls:
        known = state.known_urls.get(url)
        if known is not None and not refetch:
            continue
        if known is None and not retry_later(url):
            continue
        chosen[url] = _target(state, url, known, refetch=refetch)
    if revisit:
        for url in state.failures:
            if url not in chosen and url not in state.known_urls and retry_later(url):
                chosen[url] = FetchTarget(url)
        for url, known in _revalidation_candidates(source, state, now, recheck_all):
            chosen.setdefault(url, _target(state, url, known, refetch=refetch))
    plan.targets = list(chosen.values())
    return plan


def _revalidation_candidates(
    source: SourceConfig, state: CrawlState, now: datetime, recheck_all: bool
) -> list[tuple[str, KnownArticle]]:
    """One URL per known article due for a conditional re-request."""
    by_article: dict[str, tuple[str, KnownArticle]] = {}
    for url, known in state.known_urls.items():
        current = by_article.get(known.article_id)
        # prefer the URL we actually fetched (it has validators)
        if current is None or (url in state.validators and current[0] not in state.validators):
            by_article[known.article_id] = (url, known)
    window = now - timedelta(days=source.recheck_days)
    slow_window = now - timedelta(days=source.recheck_days * OLD_RECHECK_FACTOR)
    recent, old = [], []
    for url, known in by_article.values():
        if recheck_all or (known.first_seen_at is not None and known.first_seen_at >= window):
            recent.append((url, known))
        elif known.last_seen_at is not None and known.last_seen_at < slow_window:
            old.append((url, known))
    old.sort(key=lambda item: item[1].last_seen_at or now)
    return recent + old[:OLD_RECHECK_PER_RUN]


def _target(
    state: CrawlState, url: str, known: KnownArticle | None, *, refetch: bool
) -> FetchTarget:
    etag, last_modified = (None, None) if refetch else state.validators.get(url, (None, None))
    known_id = known.article_id if known is not None else None
    return FetchTarget(url, etag=etag, last_modified=last_modified, known_article_id=known_id)


async def fetch_targets(
    source: SourceConfig,
    fetcher: Fetcher,
    targets: list[FetchTarget],
    *,
    run_id: str,
) -> tuple[list[tuple[FetchTarget, FetchResult]], SourceOutcome]:
    """Request every target concurrently (the fetcher enforces per-host limits).

    Returns the responses with a body, and an outcome holding the failures and the 304s
    (unchanged articles). The bodies are archived with :func:`archive_and_extract`.
    """
    outcome = SourceOutcome(source.id)

    async def one(target: FetchTarget) -> tuple[FetchTarget, FetchResult | FetchError]:
        try:
            result = await fetcher.fetch(
                source,
                target.url,
                stage="article",
                etag=target.etag,
                last_modified=target.last_modified,
            )
        except FetchError as exc:
            return target, exc
        return target, result

    done = await asyncio.gather(*(one(t) for t in targets))
    fetched: list[tuple[FetchTarget, FetchResult]] = []
    now = datetime.now(UTC)
    for target, result in done:
        if isinstance(result, FetchError):
            outcome.counts["errors"] += 1
            outcome.errors.append(_error_record(source.id, result, run_id, now))
            continue
        if result.not_modified:
            outcome.counts["not_modified"] += 1
            if target.known_article_id:
                outcome.unchanged.append(SeenUnchanged(source.id, target.known_article_id))
            continue
        outcome.counts["articles_fetched"] += 1
        fetched.append((target, result))
    return fetched, outcome


async def fetch_and_extract(
    source: SourceConfig,
    fetcher: Fetcher,
    targets: list[FetchTarget],
    *,
    run_id: str,
    extract: Callable[[list[tuple[FetchTarget, FetchResult]]], Awaitable[SourceOutcome]],
    group_size: int = EXTRACT_GROUP_SIZE,
) -> SourceOutcome:
    """Request every target, and extract them in groups of ``group_size`` while the rest are
    still downloading; return everything as one outcome, in the order of ``targets``.

    Every group's requests are made at once (the fetcher's per-host limits queue them in
    order), so the host is never idle between groups; ``extract`` (for example
    :func:`archive_and_extract` in the parse pool) gets each group when its last page is in.
    A batch's parse then overlaps its downloads instead of following the last of them.
    """

    async def one_group(group: list[FetchTarget]) -> SourceOutcome:
        fetched, outcome = await fetch_targets(source, fetcher, group, run_id=run_id)
        if fetched:
            outcome.merge(await extract(fetched))
        return outcome

    size = max(1, group_size)
    groups = [targets[start : start + size] for start in range(0, len(targets), size)]
    total = SourceOutcome(source.id)
    for outcome in await asyncio.gather(*(one_group(group) for group in groups)):
        total.merge(outcome)
    return total


def archive_and_extract(
    archive: RawArchive,
    source: SourceConfig,
    fetched: list[tuple[FetchTarget, FetchResult]],
    *,
    run_id: str,
    since: date | None = None,
    until: date | None = None,
) -> SourceOutcome:
    """Archive every fetched body (compressed), then extract the pages: one CPU-bound step
    for the parse pool, so the process that drives the downloads does neither."""
    keyed = [(target, result, archive.put(source.id, result)) for target, result in fetched]
    return extract_results(source, keyed, run_id=run_id, since=since, until=until)


def extract_results(
    source: SourceConfig,
    fetched: list[tuple[FetchTarget, FetchResult, str | None]],
    *,
    run_id: str,
    since: date | None = None,
    until: date | None = None,
) -> SourceOutcome:
    """Turn fetched pages into staged rows; CPU-bound, so callers run it in a parse pool."""
    outcome = SourceOutcome(source.id)
    profile = source.extraction_profile()
    zone = ZoneInfo(source.timezone)
    for target, result, archive_key in fetched:
        content_type = result.headers.get("content-type")
        try:
            record = extract_article(
                result.content or b"", result.final_url, profile=profile, content_type=content_type
            )
        except ExtractionError as exc:
            outcome.counts["errors"] += 1
            outcome.errors.append(
                FetchErrorRecord(
                    source_id=source.id,
                    url=target.url,
                    stage="extract",
                    status=result.status,
                    reason=str(exc.reason),
                    attempts=1,
                    run_id=run_id,
                    occurred_at=datetime.now(UTC),
                )
            )
            continue
        add_record(
            outcome,
            source,
            record,
            requested_url=target.url,
            result=result,
            archive_key=archive_key,
            since=since,
            until=until,
            zone=zone,
        )
    return outcome


def add_record(
    outcome: SourceOutcome,
    source: SourceConfig,
    record: ArticleRecord,
    *,
    requested_url: str,
    result: FetchResult,
    archive_key: str | None,
    since: date | None,
    until: date | None,
    zone: ZoneInfo,
) -> None:
    """Stage one extracted record (or count why it was skipped)."""
    key_url = identity_url(record.url, record.canonical_url, source.hosts)
    art_id = article_id(source.id, key_url)
    outcome.pages.append(
        PageRecord.of(
            source.id,
            result,
            url=normalize_url(requested_url),
            archive_key=archive_key,
            article_id=art_id,
        )
    )
    if not in_range(record.published_at, since, until, zone):
        outcome.counts["out_of_range"] += 1
        return
    outcome.counts["articles_extracted"] += 1
    if not record.paragraphs:
        outcome.counts["empty_bodies"] += 1
        outcome.sample("empty_bodies", key_url)
    if record.published_at is None:
        outcome.counts["missing_dates"] += 1
        outcome.sample("missing_dates", key_url)
    outcome.articles.append(
        StagedArticle(
            source_id=source.id,
            article_id=art_id,
            url=key_url,
            record=record,
            fetched_at=result.fetched_at,
        )
    )


def in_range(
    published_at: datetime | None, since: date | None, until: date | None, zone: ZoneInfo
) -> bool:
    """Whether a publication time falls in [since, until] (local calendar days of the source).

    An undated article is kept: a backfill must not silently drop what it cannot place.
    """
    if published_at is None or (since is None and until is None):
        return True
    local_day = published_at.astimezone(zone).date()
    if since is not None and local_day < since:
        return False
    return not (until is not None and local_day > until)


def _error_record(source_id: str, exc: FetchError, run_id: str, now: datetime) -> FetchErrorRecord:
    return FetchErrorRecord(
        source_id=source_id,
        url=exc.url,
        stage=exc.stage,
        status=exc.status,
        reason=f"{type(exc).__name__}: {exc.reason}",
        attempts=exc.attempts,
        run_id=run_id,
        occurred_at=now,
    )


def error_records(
    source_id: str, errors: Iterable[FetchError], run_id: str
) -> list[FetchErrorRecord]:
    """fetch_errors rows for failures raised outside the article fetch (listings, feeds)."""
    now = datetime.now(UTC)
    return [_error_record(source_id, exc, run_id, now) for exc in errors]


RUN_COUNTERS = (
    "listing_pages",
    "articles_fetched",
    "not_modified",
    "errors",
    "empty_bodies",
    "missing_dates",
)


def run_counts(counts: Counter[str]) -> dict[str, int]:
    """The crawler's counters that the runs row stores (the loader adds new/updated/unchanged)."""
    return {key: int(counts.get(key, 0)) for key in RUN_COUNTERS}
