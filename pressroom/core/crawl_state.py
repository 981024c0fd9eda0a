"""What the crawler knows about a source before a run: known articles, validators, failures.

Plain data, read from the warehouse (and from batches staged but not loaded) by
:func:`pressroom.warehouse.state.read_crawl_state`, and read by run planning and discovery.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from pressroom.core.articles import DateOrderEvidence, ListTemplate

__all__ = ["CrawlState", "FailedUrl", "KnownArticle", "PageState", "Validators"]


@dataclass(frozen=True)
class KnownArticle:
    """An article already stored (or staged) for the source."""

    article_id: str
    url: str
    first_seen_at: datetime | None
    last_seen_at: datetime | None
    published_at: datetime | None
    content_hash: str | None = None


class Validators(NamedTuple):
    """HTTP validators of the latest body of a URL: ``etag, last_modified = validators``."""

    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class PageState:
    """The latest response for a URL: status, when, and its raw-archive key."""

    status: int | None
    fetched_at: datetime | None
    archive_key: str | None
    article_id: str | None


@dataclass(frozen=True)
class FailedUrl:
    """Failures of a URL since it last succeeded: ``runs`` distinct runs, ``attempts`` requests."""

    url: str
    runs: int
    attempts: int
    last_status: int | None
    last_reason: str
    last_occurred_at: datetime
    stage: str


@dataclass(frozen=True)
class CrawlState:
    """Incremental state of one source.

    ``articles`` (alias ``known_urls``) maps every URL an article is known under (its URL,
    canonical URL, requested and final page URLs) to the article; ``validators`` maps listing,
    feed, sitemap and article URLs to (etag, last_modified); ``pages`` holds the rest of the
    latest response; ``failures`` maps URLs failing since their last success; ``templates``
    maps each start URL to the list template learned for it (see ``list_templates``).
    ``last_ingest`` is the (started_at, status) of the source's latest ingest run, loaded or
    staged ("running" when that run was killed before its final batch). ``non_articles`` maps
    URLs whose page turned out not to be an article (``pages.kind``) to that kind.
    ``date_evidence`` sums the unambiguous numeric dates the source's runs saw on its listing
    pages (``runs.date_day_first``/``date_month_first``): it orders the ambiguous dates of later
    runs whose pages prove nothing themselves.
    """

    source_id: str
    articles: Mapping[str, KnownArticle] = field(default_factory=dict)
    validators: Mapping[str, Validators] = field(default_factory=dict)
    pages: Mapping[str, PageState] = field(default_factory=dict)
    failures: Mapping[str, FailedUrl] = field(default_factory=dict)
    last_ingest: tuple[datetime, str] | None = None
    templates: Mapping[str, ListTemplate] = field(default_factory=dict)
    non_articles: Mapping[str, str] = field(default_factory=dict)
    date_evidence: DateOrderEvidence = field(default_factory=DateOrderEvidence)

    @property
    def unfinished_walk(self) -> bool:
        """True when an earlier ingest may have left listing pages unread: a listing page has
        failed since it last worked, or the latest ingest never finished (killed). The next
        incremental walk then reads to the end of the listing instead of stopping at the
        first page of known articles, which would hide the articles behind the break."""
        if any(f.stage == "listing" for f in self.failures.values()):
            return True
        return self.last_ingest is not None and self.last_ingest[1] == "running"

    @property
    def known_urls(self) -> Mapping[str, KnownArticle]:
        """Same as ``articles``: URL -> known article."""
        return self.articles

    @property
    def failed_urls(self) -> dict[str, int]:
        """URL -> number of runs it has failed in since it last worked."""
        return {url: f.runs for url, f in self.failures.items()}

    def is_known(self, url: str) -> bool:
        """True when ``url`` leads to an article already stored or staged."""
        return url in self.articles

    def gave_up(self, url: str, max_runs: int) -> bool:
        """True when ``url`` has failed in ``max_runs`` or more runs since it last worked."""
        failed = self.failures.get(url)
        return failed is not None and failed.runs >= max_runs

    def article_ids(self) -> set[str]:
        """Ids of every known article."""
        return {a.article_id for a in self.articles.values()}
