"""A run's records staged in batches while it goes, so that a kill loses at most one batch.

:class:`RunStager` takes each extracted group of pages as it arrives (:meth:`RunStager.add`)
and stages and loads a batch whenever ``BATCH_ARTICLES`` records have gathered or
``BATCH_SECONDS`` have passed since the last batch. Each intermediate batch carries the run's
``runs`` row with status ``running`` and the counters so far; the final batch
(:meth:`RunStager.finish`) carries the rest, the listing pages and the run's final status.
Listing pages go last on purpose: their validators tell the next run "everything behind this
page was handled", which is only true once every article batch before them is staged.

The stager keeps counts, samples and the first errors for the run's summary, never the records
of batches already staged, so memory does not grow with the size of the run.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

from prefect.utilities.annotations import quote

from pressroom.config import Config, SourceConfig
from pressroom.core.runs import RunRecord
from pressroom.flows.crawl.outcome import SourceOutcome, run_counts
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.loading import stage_and_load_async

__all__ = ["BATCH_ARTICLES", "BATCH_SECONDS", "RunStager"]

BATCH_ARTICLES = 200
"""Records (articles and unchanged articles) that make a batch."""
BATCH_SECONDS = 60.0
"""A batch is staged at least this often while pages keep arriving."""
FIRST_ERRORS = 3


class RunStager:
    """Stages one run's (one chunk's) records in batches; see the module docstring."""

    def __init__(
        self,
        config: Config,
        source: SourceConfig,
        run: RunRecord,
        outcome: SourceOutcome,
        parser: ParsePool | None,
        *,
        batch_articles: int = BATCH_ARTICLES,
        batch_seconds: float = BATCH_SECONDS,
    ) -> None:
        self.config = config
        self.source = source
        self.run = run
        self.parser = parser
        self.batch_articles = max(1, batch_articles)
        self.batch_seconds = batch_seconds
        self.totals = outcome  # counts and samples of the whole run; records not yet staged
        self.first_errors = list(outcome.errors[:FIRST_ERRORS])
        self.failed_urls: set[str] = {e.url for e in outcome.errors}
        self.loaded: dict[str, Any] = {"counts": {}, "pending": 0, "failed": []}
        self.batches = 0
        self.records_seen = len(outcome.articles) + len(outcome.unchanged)
        """Articles extracted or seen unchanged so far (staged or not)."""
        self.articles_seen = len(outcome.articles)
        """Articles extracted (downloaded and parsed) so far, staged or not."""
        self._last = time.monotonic()
        self._lock = asyncio.Lock()

    async def add(self, part: SourceOutcome) -> None:
        """Take one extracted group; stage a batch when enough has gathered."""
        self.totals.merge(part)
        self.records_seen += len(part.articles) + len(part.unchanged)
        self.articles_seen += len(part.articles)
        for error in part.errors:
            self.failed_urls.add(error.url)
            if len(self.first_errors) < FIRST_ERRORS:
                self.first_errors.append(error)
        waiting = len(self.totals.articles) + len(self.totals.unchanged)
        due = time.monotonic() - self._last >= self.batch_seconds
        if waiting >= self.batch_articles or (due and waiting):
            await self._flush(replace(self.run, **run_counts(self.totals.counts)))

    async def finish(self, run: RunRecord, last: SourceOutcome) -> dict[str, Any]:
        """Stage the final batch: what is left, ``last``'s records (listing pages), ``run``."""
        self.totals.merge(last)
        await self._flush(run, final=True)
        return self.loaded

    async def _flush(self, run: RunRecord, *, final: bool = False) -> None:
        async with self._lock:
            records = self.totals.take_records()
            if not final and not (records.articles or records.unchanged or records.pages):
                return
            self._last = time.monotonic()
            self.batches += 1
            loaded = await stage_and_load_async(
                self.config, self.source, run, quote(records), self.parser, final=final
            )
        counts = self.loaded["counts"]
        for key, value in (loaded.get("counts") or {}).items():
            counts[key] = counts.get(key, 0) + int(value)
        self.loaded["pending"] = loaded.get("pending", 0)
        self.loaded["failed"] += loaded.get("failed", [])
