"""Fetched article pages into staged rows: :func:`extract_results` extracts each page, keeps
what is not an article in ``pages`` only, and counts what a person should know (empty bodies,
missing dates, dates outside a backfill's window, listing dates the page contradicts).
CPU-bound and plain: callers run it in the parse pool."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pressroom.config import SourceConfig
from pressroom.core.articles import ArticleRecord, DateOrderEvidence
from pressroom.core.errors import ExtractionError
from pressroom.core.runs import FetchErrorRecord, PageRecord, StagedArticle
from pressroom.extractors.article import extract_page
from pressroom.extractors.page_kind import PageKind
from pressroom.extractors.urls import article_id, identity_url, normalize_url
from pressroom.flows.crawl.article_fetch import FetchTarget
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome

__all__ = ["add_non_article", "add_record", "extract_results", "in_range"]


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
    what its new extraction lost (see :mod:`pressroom.warehouse.lost_fields`)."""
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
