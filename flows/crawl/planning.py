"""What a run requests: new links, failures worth retrying, and known articles to revalidate.

Pure decisions over a source's crawl state (:class:`pressroom.core.crawl_state.CrawlState`); no
network, no Prefect. :mod:`pressroom.flows.source_run` plans each chunk with
:func:`plan_targets`, then :mod:`pressroom.flows.crawl.pipeline` fetches the targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pressroom.config import SourceConfig
from pressroom.core.crawl_state import CrawlState, KnownArticle
from pressroom.flows.crawl.article_fetch import FetchTarget

__all__ = ["FetchPlan", "plan_targets"]


@dataclass
class FetchPlan:
    """What a run will request, and the failing URLs it no longer tries."""

    targets: list[FetchTarget] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


GONE = (404, 410)  # recorded once; asked again only with --recheck
OLD_RECHECK_FACTOR = 4  # older articles are revalidated after 4x the recheck window
OLD_RECHECK_PER_RUN = 50  # at most this many per run, least recently seen first


_DISCOVERY_STAGES = frozenset({"listing", "feed", "sitemap"})


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
    retried every run, only with ``recheck_all``. A URL whose page was not an article
    (``state.non_articles``: a landing page, a soft 404, a document) is not requested again;
    ``recheck_all`` and ``refetch`` ask for it once more without validators, so that it is
    classified again. ``refetch`` drops the validators so pages are downloaded again. With
    ``revisit`` false (a backfill) only ``new_urls`` are considered.
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

    look_again = recheck_all or refetch
    for url in new_urls:
        known = state.known_urls.get(url)
        if known is not None and not refetch:
            continue
        if url in state.non_articles:
            if look_again:
                chosen[url] = FetchTarget(url, fresh=True)
            continue
        if known is None and not retry_later(url):
            continue
        chosen[url] = _target(state, url, known, refetch=refetch)
    if revisit:
        # a listing, feed or sitemap that failed is walked again by discovery, not fetched as
        # an article (robots.txt refusals of them carry stage "robots")
        walked = {*source.start_urls, source.feed_url, source.sitemap_url}
        for url, failed in state.failures.items():
            if failed.stage in _DISCOVERY_STAGES or url in walked:
                continue
            if url in state.non_articles or url in state.known_urls or url in chosen:
                continue
            if retry_later(url):
                chosen[url] = FetchTarget(url)
        if recheck_all:  # pages that were not articles are classified again
            for url in state.non_articles:
                chosen.setdefault(url, FetchTarget(url, fresh=True))
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
