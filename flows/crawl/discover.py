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

    When the pagination counts in its URLs (``page/2/`` -> ``page/3/``), the next two pages
    are requested while this one is parsed, so the walk uses the host's second slot; a guess
    is used only when the page's own next link names it, so a walk asks for at most two pages
    past where it stops.

Date order
    Numeric listing dates are read in the order :mod:`pressroom.extractors.date_order` decides; the
    walk
    carries the unambiguous dates it has seen (``15/03/2023``) from page to page, so a later
    page reads by what earlier ones showed. ``Discovery.date_evidence`` hands them to the
    article extraction, ``Discovery.date_order`` says what decided.

CMS data endpoints and capped listings
    A listing page may name its next page as a POST (a Hanweb jcms ``dataproxy.jsp`` record
    range: ``ListingPage.next_requests``); the walk asks for it through the fetcher like any
    page and goes on through the ranges with the same stops. An answer that is not the
    endpoint's XML (an HTML error page) is a listing error. A walk that ends on the last page
    a CMS shows adds a note to ``notes`` (older articles need the sitemap or the site's
    search): the CMS prints its cap ("本频道最多N页"), the pager counts more records than its
    pages hold, or the endpoint answers a range with no records before its record count (the
    ranges after it are not asked for). A backfill that ends on a full page of a counted
    pager, or on a full page whose oldest article is still inside its window, says the CMS
    may cap the listing.
List templates
    The rows of a source's article list are learned once
    (:mod:`pressroom.extractors.list_template`):
    ``templates`` holds the ones stored for the source (start URL -> template). A walk with no
    stored template learns it from its first page and checks it on the second, where a block
    whose links repeat those of page 1 is chrome; when page 2 shows the first guess was such a
    block, page 1 is read again with the template of page 2 and its links corrected. Every
    later page is read with the template, so a short last page or a page where a sidebar box
    has more links gives the list's rows. A stored template that no longer matches a page (a
    redesign) is learned again, and the walk says so in ``Discovery.relearned``; a listing page
    that yields no article link on a source that had some (a stored template, known articles)
    is an error (stage ``listing``) and ends that walk. ``Discovery.templates`` holds the
    template each start URL was read with, for the caller to store.

Feed and sitemap entries that are not articles (contact, section, tag pages, documents) and
off-site links are reported in ``skipped`` with a reason. Fetch failures are collected in
``errors`` and end only the walk they happened in. Parsing runs in the run's parse pool
(:mod:`pressroom.flows.crawl.parsing`: other processes) or a worker thread, so that the event loop
keeps
serving other sources.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pressroom.config import SourceConfig
from pressroom.core.articles import (
    DateOrderDecision,
    DateOrderEvidence,
    ListingLink,
    ListingPage,
    ListingRequest,
    ListTemplate,
)
from pressroom.core.errors import FetchError
from pressroom.extractors.date_order import decide_order
from pressroom.extractors.encoding import decode_html
from pressroom.extractors.endpoints import parse_endpoint_answer
from pressroom.extractors.feeds import article_url_rejection, read_feed, read_sitemap
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.pagers import cap_reached
from pressroom.extractors.urls import normalize_url, same_site
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.read_ahead import ReadAhead
from pressroom.flows.crawl.window import DateWindow

__all__ = ["Discovery", "ListingFetch", "discover"]

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


def _parse_listing(
    result: FetchResult,
    source: SourceConfig,
    template: ListTemplate | None = None,
    repeated: frozenset[str] = frozenset(),
    post: ListingRequest | None = None,
    learned: DateOrderEvidence | None = None,
) -> ListingPage:
    """Decode (header charset, meta charset, detection) and parse; runs in a worker thread.
    The answer to a POST (``post``) is a data endpoint's (ValueError when it is not).
    ``learned``: unambiguous dates of the source's earlier pages (they decide the date order)."""
    if post is not None:
        return parse_endpoint_answer(
            result.content or b"",
            post,
            date_order=source.effective_date_order,
            timezone=source.timezone,
        )
    html = decode_html(result.content or b"", result.headers.get("content-type"))
    return parse_listing(
        html,
        result.final_url,
        link_selector=source.link_selector,
        next_selector=source.next_selector,
        date_order=source.effective_date_order,
        timezone=source.timezone,
        template=template,
        repeated=repeated,
        date_order_set=source.date_order is not None,
        language=source.language,
        learned=learned,
    )


class _Walk:
    """State shared by the walks of one discovery run."""

    def __init__(
        self,
        source: SourceConfig,
        fetcher: Fetcher,
        known_urls: Iterable[str],
        validators: Validators,
        mode: Mode,
        since: date | None,
        until: date | None,
        parser: ParsePool | None = None,
        conditional: bool = True,
        walk_to_end: bool = False,
        templates: dict[str, ListTemplate] | None = None,
        earlier_evidence: DateOrderEvidence | None = None,
    ) -> None:
        self.source = source
        self.templates = dict(templates or {})
        self.walk_to_end = walk_to_end
        self.parser = parser or ParsePool(0)
        self.fetcher = fetcher
        self.known = {normalize_url(u) for u in known_urls}
        self.validators = {normalize_url(k): v for k, v in validators.items()}
        self.validators.update(validators)
        self.mode = mode
        self.since = since
        self.window = DateWindow(ZoneInfo(source.timezone), since, until, mode == "backfill")
        self.out = Discovery(earlier_evidence=earlier_evidence or DateOrderEvidence())
        self.collected: set[str] = set()
        self.visited: set[str] = set()
        self.conditional = conditional

    async def get(
        self,
        url: str,
        kind: Literal["listing", "feed", "sitemap"],
        *,
        conditional: bool,
        post: ListingRequest | None = None,
    ) -> FetchResult | None:
        """Fetch one discovery page; record it, or record the error and return None."""
        got = await self.request(url, kind, conditional=conditional, post=post)
        return self.record(url, kind, got)

    async def request(
        self,
        url: str,
        kind: Literal["listing", "feed", "sitemap"],
        *,
        conditional: bool,
        post: ListingRequest | None = None,
    ) -> FetchResult | FetchError:
        """Fetch one discovery page without recording anything (see :meth:`record`)."""
        etag = last_modified = None
        if conditional and self.conditional and self.mode == "incremental" and post is None:
            etag, last_modified = self.validators.get(
                url, self.validators.get(normalize_url(url), (None, None))
            )
        try:
            return await self.fetcher.fetch(
                self.source,
                url,
                stage=kind,
                etag=etag,
                last_modified=last_modified,
                form=post.form if post else None,
                referer=post.referer if post else None,
            )
        except FetchError as exc:
            return exc

    def record(
        self, url: str, kind: Literal["listing", "feed", "sitemap"], got: FetchResult | FetchError
    ) -> FetchResult | None:
        """Count a response and keep its validators, or keep the error; the response or None."""
        if isinstance(got, FetchError):
            self.out.errors.append(got)
            return None
        result = got
        self.out.pages_fetched += 1
        self.out.not_modified += int(result.not_modified)
        self.out.listing_pages.append(
            ListingFetch(
                url=url,
                final_url=result.final_url,
                status=result.status,
                etag=result.etag,
                last_modified=result.last_modified,
                fetched_at=result.fetched_at,
                not_modified=result.not_modified,
                kind=kind,
            )
        )
        return result

    def offer(self, link: ListingLink, *, check_article: bool) -> bool:
        """Keep ``link`` if it is new, on site and in range; True when it was unseen."""
        url = normalize_url(link.url)
        if not same_site(url, self.source.hosts):
            self.out.skipped.append((url, "off-site link"))
            return False
        if url in self.known or url in self.collected or url in self.visited:
            return False
        reason = article_url_rejection(url) if check_article else None
        if reason:
            self.out.skipped.append((url, reason))
            return False
        self.collected.add(url)
        if self.window.uncertain(link):  # kept whatever its listing date: its own page decides
            self.out.uncertain_dates += 1
        elif not self.window.contains(link):
            return True  # unseen, but outside the backfill window
        self.out.links.append(replace(link, url=url))
        return True

    async def listing(self, start_url: str) -> None:
        ahead = None
        if self.mode == "backfill":
            ahead = ReadAhead(
                lambda url: self.request(url, "listing", conditional=False), self.visited
            )
        first = len(self.out.listing_pages)
        try:
            finished = await self._walk_listing(start_url, ahead)
        finally:
            if ahead is not None:
                ahead.cancel()
        self.settle(first, trusted=finished and self.mode == "incremental")

    def settle(self, first: int, *, trusted: bool) -> None:
        """Mark the pages recorded since index ``first`` as trusted or not (see module doc)."""
        pages = self.out.listing_pages
        for index in range(first, len(pages)):
            pages[index] = replace(pages[index], trusted=trusted)

    def attach_links(self, before: int) -> None:
        """Give the page recorded last the links offered since ``self.out.links[before]``."""
        if self.out.listing_pages:
            links = tuple(link.url for link in self.out.links[before:])
            page = self.out.listing_pages[-1]
            self.out.listing_pages[-1] = replace(page, links=page.links + links)

    def unoffer(self, urls: set[str]) -> None:
        """Take back links offered earlier in this discovery (a page read with a wrong guess)."""
        self.out.uncertain_dates -= sum(
            1 for link in self.out.links if link.url in urls and self.window.uncertain(link)
        )
        self.out.links = [link for link in self.out.links if link.url not in urls]
        self.collected -= urls
        self.out.listing_pages = [
            replace(p, links=tuple(u for u in p.links if u not in urls))
            for p in self.out.listing_pages
        ]

    async def _walk_listing(self, start_url: str, ahead: ReadAhead | None) -> bool:
        """Walk one listing; True when it ended on known articles, a 304 or its last page."""
        source = self.source
        url: str | None = start_url
        post: ListingRequest | None = None  # the page is a POST to a data endpoint
        previous: str | None = None
        beyond: int | None = None  # pages the pager says exist after ``url``
        most_links = 0
        empty_streak = 0
        depth = max(1, source.incremental_depth)
        stored = self.templates.get(start_url)
        template = stored
        repeated: frozenset[str] = frozenset()
        first: tuple[FetchResult, ListingPage, int] | None = None  # page 1 while learning
        for page_no in range(max(1, source.max_listing_pages)):
            assert url is not None
            self.visited.add(normalize_url(url))
            if ahead is not None and post is None and (early := ahead.take(url)) is not None:
                result = self.record(url, "listing", await early)
            else:
                result = await self.get(
                    url, "listing", conditional=page_no == 0 and not self.walk_to_end, post=post
                )
            if result is None:
                return False
            if result.not_modified and self.mode == "incremental":
                return True
            if result.content is None:
                return False
            if ahead is not None and post is None:  # no guesses past max_listing_pages
                limit = source.max_listing_pages - page_no - 1  # nor past the pager's count
                ahead.guess(previous, url, limit=limit if beyond is None else min(limit, beyond))
            previous = url
            try:
                page = await self.parser.run(
                    _parse_listing,
                    result,
                    source,
                    template,
                    repeated,
                    post,
                    learned=self.out.all_date_evidence,
                )
            except ValueError as exc:  # a data endpoint answered something else than its XML
                self.out.errors.append(
                    FetchError(
                        str(exc), url=url, source=source.id, stage="listing", status=result.status
                    )
                )
                return False
            self.out.date_evidence = self.out.date_evidence.merged(page.date_evidence)
            self.visited.add(normalize_url(result.final_url))
            most_links = max(most_links, len(page.links))
            pager = page.pager
            beyond = None
            if pager and pager.count is not None and pager.current is not None:
                beyond = max(0, pager.count - pager.current - 1)
            if page.template_matched is False and page.links:
                if first is not None and page.template is not None:
                    await self._reread_first(first, page)  # page 1's guess was a repeated box
                elif stored is not None:
                    self.out.relearned.append((start_url, url))
            if page.template is not None and (template is None or not page.template_matched):
                template = page.template
                if stored is None and page_no == 0:
                    first = (result, page, len(self.out.listing_pages) - 1)
            if template is not None:
                self.out.templates[start_url] = template
            if page_no >= 1:
                first = None
            repeated = repeated | page.anchor_urls
            before = len(self.out.links)
            unseen = sum(self.offer(link, check_article=False) for link in page.links)
            self.attach_links(before)
            if page.ends_short is not None:  # the CMS serves no more than this
                self.note_cap(start_url, page, most_links, pages_read=page_no + 1)
                return True
            if not page.links and source.link_selector is None and stored is not None:
                self.out.errors.append(
                    FetchError(
                        "listing page yielded no article links (the source had some: "
                        "a redesign, or an error page served as 200?)",
                        url=url,
                        source=source.id,
                        stage="listing",
                        status=result.status,
                    )
                )
                return False
            if self.mode == "incremental" and not self.walk_to_end:
                empty_streak = 0 if unseen else empty_streak + 1
                if empty_streak >= depth:
                    return True
            elif self.window.all_before_start(page.links):
                return True
            url = next(
                (
                    n
                    for n in page.next_urls
                    if same_site(n, source.hosts) and normalize_url(n) not in self.visited
                ),
                None,
            )
            post = None
            if url is None:
                post = next(
                    (
                        r
                        for r in page.next_requests
                        if same_site(r.url, source.hosts)
                        and normalize_url(r.url) not in self.visited
                    ),
                    None,
                )
                url = post.url if post else None
            if url is None:
                self.note_cap(start_url, page, most_links, pages_read=page_no + 1)
                return True
        return False  # stopped by max_listing_pages: older pages were never looked at

    def note_cap(
        self, start_url: str, page: ListingPage, per_page: int, *, pages_read: int
    ) -> None:
        """A walk that ended on the last page its CMS serves says so in the run's notes when
        older articles are likely behind it (see the module doc): the CMS prints its cap, the
        pager counts more records than its pages hold, a data endpoint stops serving records
        before its count, or a backfill ends on a full page of a counted (script) pager or
        before its window starts."""
        days = [d for d in map(self.window.day, page.links) if d is not None]
        oldest = f" (the oldest it shows is from {min(days)})" if days else ""
        where = f"{self.source.id}: the listing {start_url}"
        after = "; older articles need the sitemap or the site's search"
        if page.ends_short is not None:
            self.out.notes.append(
                f"{where} stops after {pages_read} pages: {page.ends_short}{oldest}{after}"
            )
            return
        cap = cap_reached(page.pager, per_page)
        if cap is not None:
            self.out.notes.append(f"{where} stops at its CMS cap of {cap} pages{oldest}{after}")
            return
        full = pages_read >= 2 and len(page.links) >= max(per_page, 2)
        if self.mode != "backfill" or not full:
            return
        counted = page.pager is not None and page.pager.count is not None
        short_of_window = bool(days) and self.since is not None and min(days) > self.since
        if counted or short_of_window:
            why = f" before the window's start {self.since}" if short_of_window else ""
            self.out.notes.append(
                f"{where} ends on a full page after {pages_read} pages{oldest}{why}: its CMS"
                f" may show no more pages than that{after}"
            )

    async def _reread_first(
        self, first: tuple[FetchResult, ListingPage, int], second: ListingPage
    ) -> None:
        """Read page 1 again with the template page 2 showed; swap its offered links."""
        result, old, index = first
        page = await self.parser.run(
            _parse_listing,
            result,
            self.source,
            second.template,
            second.anchor_urls,
            learned=self.out.all_date_evidence,
        )
        self.unoffer({normalize_url(link.url) for link in old.links})
        before = len(self.out.links)
        for link in page.links:
            self.offer(link, check_article=False)
        offered = tuple(link.url for link in self.out.links[before:])
        pages = self.out.listing_pages
        pages[index] = replace(pages[index], links=offered)

    async def feed(self, feed_url: str) -> None:
        result = await self.get(feed_url, "feed", conditional=True)
        if result is None or result.content is None:
            return
        read = await self.parser.run(read_feed, result.content, result.final_url)
        for entry in read.entries:
            link = ListingLink(entry.url, entry.title, entry.published_at or entry.updated_at)
            self.offer(link, check_article=True)
        if read.error:  # a feed broken partway: its readable items are kept, the break recorded
            self.out.errors.append(
                FetchError(
                    read.error,
                    url=feed_url,
                    source=self.source.id,
                    stage="feed",
                    status=result.status,
                )
            )
            self.out.listing_pages = [  # no validators kept: the next run reads it all again
                dataclasses.replace(p, etag=None, last_modified=None) if p.url == feed_url else p
                for p in self.out.listing_pages
            ]

    async def sitemap(self, sitemap_url: str) -> None:
        queue = [sitemap_url]
        seen: set[str] = set()
        limit = max(1, self.source.max_listing_pages)
        while queue and len(seen) < limit:
            url = queue.pop(0)
            if normalize_url(url) in seen:
                continue
            seen.add(normalize_url(url))
            result = await self.get(url, "sitemap", conditional=True)
            if result is None or result.content is None:
                continue
            read = await self.parser.run(read_sitemap, result.content, result.final_url)
            if read.error:  # broken partway: the entries before the break are kept
                self.out.errors.append(
                    FetchError(
                        read.error,
                        url=url,
                        source=self.source.id,
                        stage="sitemap",
                        status=result.status,
                    )
                )
                self.out.listing_pages = [  # no validators kept: the next run reads it again
                    dataclasses.replace(p, etag=None, last_modified=None) if p.url == url else p
                    for p in self.out.listing_pages
                ]
            page = read.page
            for child in page.child_sitemaps:
                if same_site(child, self.source.hosts):
                    queue.append(child)
                else:
                    self.out.skipped.append((child, "off-site sitemap"))
            for entry in page.entries:
                self.offer(entry, check_article=True)


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
    walk = _Walk(
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
        await walk.listing(start_url)
    if source.feed_url:
        await _settled(walk, walk.feed(source.feed_url))
    if source.sitemap_url:
        await _settled(walk, walk.sitemap(source.sitemap_url))
    walk.out.date_order = decide_order(
        configured=source.date_order,
        learned=walk.out.all_date_evidence,
        language=source.language,
        timezone=source.timezone,
    )
    return walk.out


async def _settled(walk: _Walk, reading: Awaitable[None]) -> None:
    """Run a feed or sitemap read; its pages get every link it offered, and are trusted when
    the walk is incremental and nothing failed while reading (a page or a parse)."""
    pages, links, errors = len(walk.out.listing_pages), len(walk.out.links), len(walk.out.errors)
    await reading
    offered = tuple(link.url for link in walk.out.links[links:])
    for index in range(pages, len(walk.out.listing_pages)):
        walk.out.listing_pages[index] = replace(walk.out.listing_pages[index], links=offered)
    walk.settle(pages, trusted=walk.mode == "incremental" and len(walk.out.errors) == errors)
