"""What one source's run produced: :class:`SourceOutcome` (records, counts, samples), the
``fetch_errors`` rows of failed requests, and the counters a ``runs`` row stores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pressroom.core.errors import FetchError
from pressroom.core.runs import (
    FetchErrorRecord,
    PageRecord,
    SeenUnchanged,
    StagedArticle,
    TemplateRecord,
)

__all__ = ["RUN_COUNTERS", "SourceOutcome", "error_record", "error_records", "run_counts"]


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


def error_record(source_id: str, exc: FetchError, run_id: str, now: datetime) -> FetchErrorRecord:
    """The ``fetch_errors`` row of one failed request."""
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
    return [error_record(source_id, exc, run_id, now) for exc in errors]


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
