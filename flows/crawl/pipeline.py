"""The article path for one source, as plain async functions (no Prefect here).

``discover -> fetch (conditional) -> archive and extract -> staged rows``. The Prefect flows in
:mod:`pressroom.flows.ingest` wrap these steps in tasks; tests call them directly. Parsing runs in
the
run's parse pool (:mod:`pressroom.flows.crawl.parsing`, other processes) so that it never stalls
the event loop
that drives the downloads: this module and its imports must never import Prefect.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pressroom.config import SourceConfig
from pressroom.core.articles import ArticleRecord, DateOrderEvidence
from pressroom.core.errors import ExtractionError, FetchError
from pressroom.core.runs import (
    FetchErrorRecord,
    PageRecord,
    SeenUnchanged,
    StagedArticle,
    TemplateRecord,
)
from pressroom.extractors.article import extract_page
from pressroom.extractors.page_kind import PageKind
from pressroom.extractors.urls import article_id, identity_url, normalize_url
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.fetch import Fetcher, FetchResult

__all__ = [
    "FetchTarget",
    "SourceOutcome",
    "add_non_article",
    "archive_and_extract",
    "error_records",
    "extract_results",
    "fetch_and_extract",
    "fetch_targets",
    "in_range",
    "run_counts",
]

ProgressFn = Callable[[str, Counter[str]], None]
FETCH_BATCH_SIZE = 200
EXTRACT_GROUP_SIZE = 25
"""Pages of a fetch batch handed to the extractor together, as soon as all of them are in."""


@dataclass(frozen=True)
class FetchTarget:
    """One article URL to request, with the validators of the last good fetch if any.

    ``fresh``: download it, never take it from the raw archive (a page that was not an
    article, asked for again by ``--recheck``)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    known_article_id: str | None = None
    fresh: bool = False
    listed_at: datetime | None = None
    """The date the listing printed beside the link, to compare with the page's own."""


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
    templates: list[TemplateRecord] = field(default_factory=list)

    def sample(self, kind: str, url: str, limit: int = 5) -> None:
        bucket = self.samples.setdefault(kind, [])
        if len(bucket) < limit:
            bucket.append(url)

    def tally(self, errors_kept: int = 3) -> SourceOutcome:
        """A copy with the counts, samples and first errors only (the rest was staged)."""
        return SourceOutcome(
            self.source_id,
            errors=self.errors[:errors_kept],
            counts=Counter(self.counts),
            samples={kind: list(urls) for kind, urls in self.samples.items()},
        )

    def take_records(self) -> SourceOutcome:
        """Move the records out into a new outcome (counts stay here); for staging a batch."""
        taken = SourceOutcome(
            self.source_id, self.articles, self.unchanged, self.pages, self.errors
        )
        taken.templates = self.templates
        self.articles, self.unchanged, self.pages, self.errors = [], [], [], []
        self.templates = []
        return taken

    def merge(self, other: SourceOutcome) -> None:
        self.articles += other.articles
        self.unchanged += other.unchanged
        self.pages += other.pages
        self.errors += other.errors
        self.templates += other.templates
        self.counts.update(other.counts)
        for kind, urls in other.samples.items():
            for url in urls:
                self.sample(kind, url)


ARCHIVE_REUSE_HOURS = 12.0
"""A page of an article not stored yet, archived this recently (by a run that was killed or
failed before its batch was staged), is asked for conditionally with the archived validators,
or taken from the archive as it is when it has none, instead of being downloaded again."""


@dataclass(frozen=True)
class _Reuse:
    """An archived fetch of a target, found before requesting it."""

    key: str
    etag: str | None
    last_modified: str | None

    @property
    def validated(self) -> bool:
        """True: ask the server (If-None-Match); False: use the page without a request."""
        return bool(self.etag or self.last_modified)


def _reusable(
    archive: RawArchive, source: SourceConfig, targets: list[FetchTarget], now: datetime
) -> dict[str, _Reuse]:
    """Targets of unstored articles with a recent archived 200; reads headers only."""
    found: dict[str, _Reuse] = {}
    for target in targets:
        if target.known_article_id or target.etag or target.last_modified or target.fresh:
            continue
        latest = archive.latest(source.id, target.url)
        if latest is None:
            continue
        key, head = latest
        age_h = (now - head.fetched_at).total_seconds() / 3600
        if head.status == 200 and 0 <= age_h <= ARCHIVE_REUSE_HOURS:
            found[target.url] = _Reuse(key, head.etag, head.last_modified)
    return found


async def fetch_targets(
    source: SourceConfig,
    fetcher: Fetcher,
    targets: list[FetchTarget],
    *,
    run_id: str,
    archive: RawArchive | None = None,
) -> tuple[list[tuple[FetchTarget, FetchResult]], SourceOutcome]:
    """Request every target concurrently (the fetcher enforces per-host limits).

    Returns the responses with a body, and an outcome holding the failures and the 304s
    (unchanged articles). The bodies are archived with :func:`archive_and_extract`. With
    ``archive``, pages of unstored articles archived in the last ``ARCHIVE_REUSE_HOURS`` are
    revalidated or reused instead of downloaded again (counted as ``archive_reused``).
    """
    outcome = SourceOutcome(source.id)
    reuse: dict[str, _Reuse] = {}
    if archive is not None:
        reuse = await asyncio.to_thread(_reusable, archive, source, targets, datetime.now(UTC))

    async def one(target: FetchTarget) -> tuple[FetchTarget, FetchResult | FetchError]:
        kept = reuse.get(target.url)
        if kept is not None and archive is not None and not kept.validated:
            return target, await asyncio.to_thread(archive.get, kept.key)
        etag, last_modified = target.etag, target.last_modified
        if kept is not None:
            etag, last_modified = kept.etag, kept.last_modified
        try:
            result = await fetcher.fetch(
                source, target.url, stage="article", etag=etag, last_modified=last_modified
            )
        except FetchError as exc:
            return target, exc
        if result.not_modified and kept is not None and archive is not None:
            outcome.counts["not_modified"] += 1
            return target, await asyncio.to_thread(archive.get, kept.key)
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
        if target.url in reuse:
            outcome.counts["archive_reused"] += 1
        else:
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
    archive: RawArchive | None = None,
    deliver: Callable[[SourceOutcome], Awaitable[None]] | None = None,
) -> SourceOutcome:
    """Request every target, and extract them in groups of ``group_size`` while the rest are
    still downloading; return everything as one outcome, in the order of ``targets``.

    Every group's requests are made at once (the fetcher's per-host limits queue them in
    order), so the host is never idle between groups; ``extract`` (for example
    :func:`archive_and_extract` in the parse pool) gets each group when its last page is in.
    A batch's parse then overlaps its downloads instead of following the last of them.

    With ``deliver``, each group's outcome is handed to it as soon as it is extracted (to be
    staged) and the returned outcome keeps only counts, samples and the first errors.
    ``archive`` is passed to :func:`fetch_targets` (reuse of recently archived pages).
    """

    async def one_group(group: list[FetchTarget]) -> SourceOutcome:
        fetched, outcome = await fetch_targets(
            source, fetcher, group, run_id=run_id, archive=archive
        )
        if fetched:
            outcome.merge(await extract(fetched))
        if deliver is None:
            return outcome
        await deliver(outcome)
        return outcome.tally()

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
    date_evidence: DateOrderEvidence | None = None,
) -> SourceOutcome:
    """Archive every fetched body (compressed), then extract the pages: one CPU-bound step
    for the parse pool, so the process that drives the downloads does neither."""
    keyed = [(target, result, archive.put(source.id, result)) for target, result in fetched]
    return extract_results(
        source, keyed, run_id=run_id, since=since, until=until, date_evidence=date_evidence
    )


def extract_results(
    source: SourceConfig,
    fetched: list[tuple[FetchTarget, FetchResult, str | None]],
    *,
    run_id: str,
    since: date | None = None,
    until: date | None = None,
    date_evidence: DateOrderEvidence | None = None,
) -> SourceOutcome:
    """Turn fetched pages into staged rows; CPU-bound, so callers run it in a parse pool.

    ``date_evidence``: unambiguous numeric dates the discovery walk saw on the source's listing
    pages; they decide how this source's ambiguous article dates read (unless configured)."""
    outcome = SourceOutcome(source.id)
    profile = source.extraction_profile()
    if date_evidence is not None:
        profile = replace(profile, date_evidence=date_evidence)
    zone = ZoneInfo(source.timezone)
    for target, result, archive_key in fetched:
        content_type = result.headers.get("content-type")
        try:
            record, kind = extract_page(
                result.content or b"", result.final_url, profile=profile, content_type=content_type
            )
            if record is None and target.known_article_id:  # a stored article's URL: an error
                raise ExtractionError(f"not an HTML page ({kind.reason})", url=target.url)
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
        if record is None or not (kind.is_article or target.known_article_id):
            add_non_article(outcome, source, kind, target.url, result, archive_key)
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
            kind_reason=kind.reason if kind.is_article else f"stored article; now {kind.kind}",
            listed_at=target.listed_at,
        )
    return outcome


def add_non_article(
    outcome: SourceOutcome,
    source: SourceConfig,
    kind: PageKind,
    requested_url: str,
    result: FetchResult,
    archive_key: str | None,
) -> None:
    """Record a page that is not an article (landing, soft 404, document) in ``pages`` only.

    A URL that already holds a stored article is never reclassified here: the loader judges
    what its new extraction lost (see :mod:`pressroom.warehouse.batch`)."""
    url = normalize_url(requested_url)
    outcome.pages.append(
        PageRecord.of(
            source.id,
            result,
            url=url,
            archive_key=archive_key,
            kind=kind.kind,
            kind_reason=kind.reason,
        )
    )
    outcome.counts["not_articles"] += 1
    outcome.counts[f"not_articles_{kind.kind}"] += 1
    outcome.sample("not_articles", f"{url} ({kind.kind}: {kind.reason})")


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
    kind_reason: str = "article",
    listed_at: datetime | None = None,
) -> None:
    """Stage one extracted record (or count why it was skipped). When the listing printed
    another day than the page (``listed_at``), the page's date is kept and the disagreement
    counted (``date_disagreements``)."""
    key_url = identity_url(record.url, record.canonical_url, source.hosts)
    art_id = article_id(source.id, key_url)
    outcome.pages.append(
        PageRecord.of(
            source.id,
            result,
            url=normalize_url(requested_url),
            archive_key=archive_key,
            article_id=art_id,
            kind="article",
            kind_reason=kind_reason,
        )
    )
    published = record.published_at
    if (
        published is not None
        and listed_at is not None
        and published.astimezone(zone).date() != listed_at.astimezone(zone).date()
    ):
        outcome.counts["date_disagreements"] += 1
        outcome.sample("date_disagreements", key_url)
    if not in_range(published, since, until, zone):
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
    "not_articles",
    "uncertain_dates",
    "date_disagreements",
)


def run_counts(counts: Counter[str]) -> dict[str, int]:
    """The crawler's counters that the runs row stores (the loader adds new/updated/unchanged)."""
    return {key: int(counts.get(key, 0)) for key in RUN_COUNTERS}
