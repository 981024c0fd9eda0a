"""What a run hands to the warehouse: typed records of runs, pages, errors and articles.

Frozen dataclasses shared by the crawler (which makes them) and the warehouse (which stages
and loads them), with the content hash that tells a new version of an article from the same
one. The Arrow schemas of the staged files are the warehouse's (:mod:`pressroom.warehouse.records`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pressroom.core.articles import DISCLOSURE_FIELDS, ArticleRecord

__all__ = [
    "RUN_MODES",
    "RUN_STATUSES",
    "FetchErrorRecord",
    "PageRecord",
    "RunRecord",
    "SeenUnchanged",
    "SourceRecord",
    "StagedArticle",
    "TemplateRecord",
    "content_hash",
    "utc",
]

RUN_MODES = ("scheduled", "manual", "backfill", "reparse")
RUN_STATUSES = ("running", "completed", "failed", "degraded", "partial")


def utc(value: datetime | None) -> datetime | None:
    """Aware datetimes converted to UTC; naive ones are taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RunRecord:
    """The runs row of the run that staged a batch; the latest staged batch of a run wins.

    The counters are the crawler's running totals for the whole run; ``articles_new``,
    ``articles_updated`` and ``articles_unchanged`` are not here: the loader counts them.
    """

    run_id: str
    flow: str
    mode: str
    started_at: datetime
    status: str = "running"
    source_id: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    finished_at: datetime | None = None
    listing_pages: int = 0
    articles_fetched: int = 0
    not_modified: int = 0
    errors: int = 0
    empty_bodies: int = 0
    missing_dates: int = 0
    notes: str | None = None
    not_articles: int = 0
    uncertain_dates: int = 0
    date_disagreements: int = 0
    date_order: str | None = None
    date_day_first: int = 0
    date_month_first: int = 0
    date_example: str | None = None
    """The unambiguous numeric dates the run's listing pages showed (see ``runs.date_*``)."""

    def __post_init__(self) -> None:
        if not self.run_id:
            raise ValueError("RunRecord.run_id must not be empty")
        if self.mode not in RUN_MODES:
            raise ValueError(f"RunRecord.mode must be one of {RUN_MODES}, got {self.mode!r}")
        if self.status not in RUN_STATUSES:
            raise ValueError(f"RunRecord.status must be one of {RUN_STATUSES}, got {self.status!r}")


@dataclass(frozen=True)
class SourceRecord:
    """A source as configured, for the ``sources`` table (the latest staged row wins)."""

    source_id: str
    name: str | None = None
    timezone: str | None = None
    language: str | None = None
    start_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class StagedArticle:
    """An extracted article ready to load; ``fetched_at`` is when its page was downloaded."""

    source_id: str
    article_id: str
    url: str
    record: ArticleRecord
    fetched_at: datetime


@dataclass(frozen=True)
class PageRecord:
    """One HTTP response for the raw-archive index and the validators of its URL.

    For a 304, leave ``etag``/``last_modified``/``archive_key`` as None to keep the stored ones.
    ``article_id`` is None for listing, feed and sitemap pages and for pages that are not
    articles; ``kind`` and ``kind_reason`` say what an article candidate turned out to be
    (:mod:`pressroom.extractors.page_kind`), None for listing, feed and sitemap pages.
    """

    source_id: str
    url: str
    final_url: str | None
    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    archive_key: str | None = None
    article_id: str | None = None
    kind: str | None = None
    kind_reason: str | None = None

    @classmethod
    def of(
        cls,
        source_id: str,
        response: Any,
        *,
        url: str,
        archive_key: str | None = None,
        article_id: str | None = None,
        kind: str | None = None,
        kind_reason: str | None = None,
    ) -> PageRecord:
        """The row for a response object carrying final_url, status, validators and fetched_at."""
        return cls(
            source_id=source_id,
            url=url,
            final_url=response.final_url,
            status=response.status,
            etag=response.etag,
            last_modified=response.last_modified,
            fetched_at=response.fetched_at,
            archive_key=archive_key,
            article_id=article_id,
            kind=kind,
            kind_reason=kind_reason,
        )


@dataclass(frozen=True)
class FetchErrorRecord:
    """A failed request or extraction, one ``fetch_errors`` row."""

    source_id: str
    url: str
    stage: str
    status: int | None
    reason: str
    attempts: int
    run_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class TemplateRecord:
    """A listing's learned row template, one ``list_templates`` row (the latest staged wins).

    ``template`` is the JSON of :class:`pressroom.core.articles.ListTemplate`.
    """

    source_id: str
    start_url: str
    template: str
    learned_at: datetime


@dataclass(frozen=True)
class SeenUnchanged:
    """An article revalidated unchanged (a 304 or identical content): only last_seen_at moves."""

    source_id: str
    article_id: str
    seen_at: datetime | None = None


# --------------------------------------------------------------------------- content hash


def content_hash(record: ArticleRecord) -> str:
    """SHA-256 (hex) of title, published_at (UTC, ISO), author, origin and the paragraphs,
    then the disclosure fields when the page has any (a document declared 失效 is a new
    version); a page without them hashes as before they existed.

    Stable across processes and Python versions; whitespace inside paragraphs counts.
    """
    published = utc(record.published_at)
    payload: list[Any] = [
        record.title,
        published.isoformat() if published else None,
        record.author,
        record.origin,
        list(record.paragraphs),
    ]
    disclosure = [getattr(record, name) for name in DISCLOSURE_FIELDS]
    if any(disclosure):
        payload.append([str(v) if v is not None else None for v in disclosure])
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
