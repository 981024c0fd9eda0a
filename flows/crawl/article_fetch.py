"""Requesting a batch of article pages: :class:`FetchTarget` (one URL with its validators) and
:func:`fetch_targets`, which asks for them all at once, revalidating or reusing pages archived
recently by a run that never staged them. Plain async code, no Prefect."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from pressroom.config import SourceConfig
from pressroom.core.errors import FetchError
from pressroom.core.runs import SeenUnchanged
from pressroom.flows.crawl.archive import RawArchive
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.outcome import SourceOutcome, error_record

__all__ = ["ARCHIVE_REUSE_HOURS", "FetchTarget", "fetch_targets"]


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
    (unchanged articles). The bodies are archived with
    :func:`pressroom.flows.crawl.pipeline.archive_and_extract`. With ``archive``, pages of
    unstored articles archived in the last ``ARCHIVE_REUSE_HOURS`` are revalidated or reused
    instead of downloaded again (counted as ``archive_reused``).
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
            outcome.errors.append(error_record(source.id, result, run_id, now))
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
