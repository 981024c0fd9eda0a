"""Discovery: walk a source's listings, feed and sitemap and return the article links to fetch.

``discover`` walks, in this order, each start URL with its pagination, the feed, and the
sitemap (with sitemap indexes and gzipped children). Links are normalized, deduped and returned
in discovery order; links already known (``known_urls``) are left out.

Incremental mode (scheduled runs)
    Page 1 of each start URL, the feed and the sitemaps are requested with the validators
    stored from the previous run (unless ``conditional`` is false: ``--recheck``); a 304 means
    nothing new there and stops that walk. Pagination stops after ``source.incremental_depth``
    consecutive pages without an unseen article (or at ``source.max_listing_pages``). After an
    ingest that broke off (a listing page failed, or the run was killed) the next walk reads
    to the end of the listing instead (``walk_to_end``): the articles behind the break are
    unknown, and stopping at the first page of known ones would hide them for good.

Which validators may be stored
    A listing page's validators mean "every article link on this page and behind it was
    handled", so that the next run may stop at a 304. Each :class:`ListingFetch` says whether
    that holds for its walk (``trusted``): only an incremental walk that ended on known
    articles or at the end of the listing; never a backfill (its window filters links out), a
    walk stopped by ``max_listing_pages`` or by a failed page, or a feed or sitemap that failed
    partway. The caller also drops a page's validators when one of its ``links`` failed.

Backfill mode (a date range)
    No validators are sent. Pagination goes on until every dated link on a page is older than
    the day before ``since`` (an uncertain date counts by its later reading; to
    ``max_listing_pages`` when the listing shows no dates). Links whose listing, feed or sitemap
    date falls outside ``[since, until]`` are dropped, unless that date is uncertain: missing,
    ambiguous (``07/01/2023`` read in an order only language or time zone decided), or within
    a day of ``since`` or ``until``. Those are kept and counted (``uncertain_dates``): the
    caller keeps or drops them by the article's own date after extraction (an ambiguous date
    whose two readings both fall more than a day outside the window is still dropped).

    In a backfill the listing pages ahead are requested while a page is parsed (see
    :mod:`pressroom.flows.crawl.listing_walk`, with the walk's date order, CMS data endpoints,
    capped listings and list templates).

Feed and sitemap entries that are not articles (contact, section, tag pages, documents) and
off-site links are reported in ``skipped`` with a reason. Fetch failures are collected in
``errors`` and end only the walk they happened in. Parsing runs in the run's parse pool
(:mod:`pressroom.flows.crawl.parsing`: other processes) or a worker thread, so that the event
loop keeps serving other sources. The walks are :mod:`pressroom.flows.crawl.listing_walk` and
:mod:`pressroom.flows.crawl.feed_walk` over the state of
:class:`pressroom.flows.crawl.discovery_walk.DiscoveryWalk`; the results are
:mod:`pressroom.flows.crawl.discovery_records`.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from datetime import date

from pressroom.config import SourceConfig
from pressroom.core.articles import DateOrderEvidence, ListTemplate
from pressroom.extractors.date_order import decide_order
from pressroom.flows.crawl.discovery_records import Discovery, Mode, Validators
from pressroom.flows.crawl.discovery_walk import DiscoveryWalk
from pressroom.flows.crawl.feed_walk import walk_feed, walk_sitemap
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.listing_walk import walk_listing
from pressroom.flows.crawl.parsing import ParsePool

__all__ = ["discover"]


async def discover(
    source: SourceConfig,
    fetcher: Fetcher,
    *,
    known_urls: set[str],
    listing_validators: Validators,
    mode: Mode = "incremental",
    since: date | None = None,
    until: date | None = None,
    parser: ParsePool | None = None,
    conditional: bool = True,
    walk_to_end: bool = False,
    templates: dict[str, ListTemplate] | None = None,
    date_evidence: DateOrderEvidence | None = None,
) -> Discovery:
    """New article links of ``source`` (see the module docstring for the two modes).

    Pages are parsed in ``parser`` (a process pool shared by the run), else in a thread.
    ``conditional=False`` sends no stored validators (``--recheck`` revalidates listings).
    ``walk_to_end`` (an earlier ingest broke off: a failed listing page, a killed run) makes an
    incremental walk read every listing page up to ``max_listing_pages``, unconditionally.
    ``templates`` are the source's stored list templates (start URL -> template);
    ``date_evidence`` the unambiguous numeric dates its earlier runs saw (they order this run's
    ambiguous ones when its own pages prove nothing).
    """
    if mode not in ("incremental", "backfill"):
        raise ValueError(f"mode must be 'incremental' or 'backfill', not {mode!r}")
    walk = DiscoveryWalk(
        source,
        fetcher,
        known_urls,
        listing_validators,
        mode,
        since,
        until,
        parser,
        conditional,
        walk_to_end,
        templates,
        date_evidence,
    )
    for start_url in source.start_urls:
        await walk_listing(walk, start_url)
    if source.feed_url:
        await _settled(walk, walk_feed(walk, source.feed_url))
    if source.sitemap_url:
        await _settled(walk, walk_sitemap(walk, source.sitemap_url))
    walk.out.date_order = decide_order(
        configured=source.date_order,
        learned=walk.out.all_date_evidence,
        language=source.language,
        timezone=source.timezone,
    )
    return walk.out


async def _settled(walk: DiscoveryWalk, reading: Awaitable[None]) -> None:
    """Run a feed or sitemap read; its pages get every link it offered, and are trusted when
    the walk is incremental and nothing failed while reading (a page or a parse)."""
    pages, links, errors = len(walk.out.listing_pages), len(walk.out.links), len(walk.out.errors)
    await reading
    offered = tuple(link.url for link in walk.out.links[links:])
    for index in range(pages, len(walk.out.listing_pages)):
        walk.out.listing_pages[index] = replace(walk.out.listing_pages[index], links=offered)
    walk.settle(pages, trusted=walk.mode == "incremental" and len(walk.out.errors) == errors)
