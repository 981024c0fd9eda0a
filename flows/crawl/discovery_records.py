"""What a discovery walk returns: :class:`Discovery` (the links, the listing responses, errors,
notes, templates and date evidence) and :class:`ListingFetch` (one listing, feed or sitemap
response, whose validators the next run may send)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pressroom.core.articles import DateOrderDecision, DateOrderEvidence, ListingLink, ListTemplate
from pressroom.core.errors import FetchError

__all__ = ["Discovery", "ListingFetch", "Mode", "Validators"]

Mode = Literal["incremental", "backfill"]
Validators = dict[str, tuple[str | None, str | None]]


@dataclass(frozen=True)
class ListingFetch:
    """One listing, feed or sitemap response: its validators are stored for the next run."""

    url: str
    final_url: str
    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    not_modified: bool
    kind: Literal["listing", "feed", "sitemap"]
    links: tuple[str, ...] = ()
    """Normalized article links this page offered for fetching (unseen and in range)."""
    trusted: bool = False
    """True when the walk that fetched the page handled everything its validators stand for."""


@dataclass
class Discovery:
    """What discovery found. ``pages_fetched`` counts answered requests, 304s included."""

    links: list[ListingLink] = field(default_factory=list)
    pages_fetched: int = 0
    not_modified: int = 0
    listing_pages: list[ListingFetch] = field(default_factory=list)
    errors: list[FetchError] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """For the run summary: what a person should know (a listing capped by its CMS)."""
    templates: dict[str, ListTemplate] = field(default_factory=dict)
    """Start URL -> the list template its walk read the pages with (learned or stored)."""
    relearned: list[tuple[str, str]] = field(default_factory=list)
    """(start URL, page URL): a stored template no longer matched that page and was re-learned."""
    uncertain_dates: int = 0
    """Backfill: links kept although their listing date is outside the window, missing,
    ambiguous or within a day of its edges; their own page decides."""
    date_evidence: DateOrderEvidence = field(default_factory=DateOrderEvidence)
    """Unambiguous numeric dates this run's listing pages showed (kept on its runs row)."""
    earlier_evidence: DateOrderEvidence = field(default_factory=DateOrderEvidence)
    """The same, from the source's earlier runs (``CrawlState.date_evidence``)."""
    date_order: DateOrderDecision | None = None
    """How the source's numeric dates read after the walk (config, evidence, language, zone)."""

    @property
    def all_date_evidence(self) -> DateOrderEvidence:
        """What orders the run's ambiguous dates: this run's pages and the earlier runs'."""
        return self.date_evidence.merged(self.earlier_evidence)
