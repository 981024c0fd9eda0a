"""The article path of one fetch batch, as plain async functions (no Prefect here).

``discover -> fetch (conditional) -> archive and extract -> staged rows``: discovery is
:mod:`pressroom.flows.crawl.discover`, the requests :mod:`pressroom.flows.crawl.article_fetch`,
the extraction :mod:`pressroom.flows.crawl.extraction`; :func:`fetch_and_extract` runs a batch's
requests and its extraction side by side. The Prefect tasks in
:mod:`pressroom.flows.crawl_tasks` wrap these steps; tests call them directly. Parsing runs in
the run's parse pool (:mod:`pressroom.flows.crawl.parsing`, other processes) so that it never
stalls the event loop that drives the downloads: this module and its imports must never import
Prefect.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date

from pressroom.config import SourceConfig
from pressroom.core.articles import DateOrderEvidence
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.article_fetch import FetchTarget, fetch_targets
from pressroom.flows.crawl.extraction import extract_results
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome

__all__ = ["EXTRACT_GROUP_SIZE", "FETCH_BATCH_SIZE", "archive_and_extract", "fetch_and_extract"]

ProgressFn = Callable[[str, Counter[str]], None]
FETCH_BATCH_SIZE = 200
EXTRACT_GROUP_SIZE = 25
"""Pages of a fetch batch handed to the extractor together, as soon as all of them are in."""


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
