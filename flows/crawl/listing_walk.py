"""The pagination walk of one start URL (:func:`walk_listing`), a step of
:func:`pressroom.flows.crawl.discover.discover`, whose docstring tells when a walk stops.

Read-ahead
    In a backfill, when the pagination counts in its URLs (``page/2/`` -> ``page/3/``), the
    next two pages are requested while this one is parsed, so the walk uses the host's second
    slot; a guess is used only when the page's own next link names it, so a walk asks for at
    most two pages past where it stops.

Date order
    Numeric listing dates are read in the order :mod:`pressroom.extractors.date_order`
    decides; the walk carries the unambiguous dates it has seen (``15/03/2023``) from page to
    page, so a later page reads by what earlier ones showed. ``Discovery.date_evidence`` hands
    them to the article extraction, ``Discovery.date_order`` says what decided.

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
    (:mod:`pressroom.extractors.list_template`): ``templates`` holds the ones stored for the
    source (start URL -> template). A walk with no stored template learns it from its first
    page and checks it on the second, where a block whose links repeat those of page 1 is
    chrome; when page 2 shows the first guess was such a block, page 1 is read again with the
    template of page 2 and its links corrected. Every later page is read with the template, so
    a short last page or a page where a sidebar box has more links gives the list's rows. A
    stored template that no longer matches a page (a redesign) is learned again, and the walk
    says so in ``Discovery.relearned``; a listing page that yields no article link on a source
    that had some (a stored template, known articles) is an error (stage ``listing``) and ends
    that walk. ``Discovery.templates`` holds the template each start URL was read with, for
    the caller to store.
"""

from __future__ import annotations

from dataclasses import replace

from pressroom.config import SourceConfig
from pressroom.core.articles import DateOrderEvidence, ListingPage, ListingRequest, ListTemplate
from pressroom.core.errors import FetchError
from pressroom.extractors.encoding import decode_html
from pressroom.extractors.endpoints import parse_endpoint_answer
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.pagers import cap_reached
from pressroom.extractors.urls import normalize_url, same_site
from pressroom.flows.crawl.discovery_walk import DiscoveryWalk
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.read_ahead import ReadAhead

__all__ = ["walk_listing"]


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


async def walk_listing(walk: DiscoveryWalk, start_url: str) -> None:
    """Walk one start URL's pages; mark them trusted when the walk handled what they stand for."""
    ahead = None
    if walk.mode == "backfill":
        ahead = ReadAhead(lambda url: walk.request(url, "listing", conditional=False), walk.visited)
    first = len(walk.out.listing_pages)
    try:
        finished = await _walk_listing(walk, start_url, ahead)
    finally:
        if ahead is not None:
            ahead.cancel()
    walk.settle(first, trusted=finished and walk.mode == "incremental")


async def _walk_listing(walk: DiscoveryWalk, start_url: str, ahead: ReadAhead | None) -> bool:
    """Walk one listing; True when it ended on known articles, a 304 or its last page."""
    source = walk.source
    url: str | None = start_url
    post: ListingRequest | None = None  # the page is a POST to a data endpoint
    previous: str | None = None
    beyond: int | None = None  # pages the pager says exist after ``url``
    most_links = 0
    empty_streak = 0
    depth = max(1, source.incremental_depth)
    stored = walk.templates.get(start_url)
    template = stored
    repeated: frozenset[str] = frozenset()
    first: tuple[FetchResult, ListingPage, int] | None = None  # page 1 while learning
    for page_no in range(max(1, source.max_listing_pages)):
        assert url is not None
        walk.visited.add(normalize_url(url))
        if ahead is not None and post is None and (early := ahead.take(url)) is not None:
            result = walk.record(url, "listing", await early)
        else:
            result = await walk.get(
                url, "listing", conditional=page_no == 0 and not walk.walk_to_end, post=post
            )
        if result is None:
            return False
        if result.not_modified and walk.mode == "incremental":
            return True
        if result.content is None:
            return False
        if ahead is not None and post is None:  # no guesses past max_listing_pages
            limit = source.max_listing_pages - page_no - 1  # nor past the pager's count
            ahead.guess(previous, url, limit=limit if beyond is None else min(limit, beyond))
        previous = url
        try:
            page = await walk.parser.run(
                _parse_listing,
                result,
                source,
                template,
                repeated,
                post,
                learned=walk.out.all_date_evidence,
            )
        except ValueError as exc:  # a data endpoint answered something else than its XML
            walk.out.errors.append(
                FetchError(
                    str(exc), url=url, source=source.id, stage="listing", status=result.status
                )
            )
            return False
        walk.out.date_evidence = walk.out.date_evidence.merged(page.date_evidence)
        walk.visited.add(normalize_url(result.final_url))
        most_links = max(most_links, len(page.links))
        pager = page.pager
        beyond = None
        if pager and pager.count is not None and pager.current is not None:
            beyond = max(0, pager.count - pager.current - 1)
        if page.template_matched is False and page.links:
            if first is not None and page.template is not None:
                await _reread_first(walk, first, page)  # page 1's guess was a repeated box
            elif stored is not None:
                walk.out.relearned.append((start_url, url))
        if page.template is not None and (template is None or not page.template_matched):
            template = page.template
            if stored is None and page_no == 0:
                first = (result, page, len(walk.out.listing_pages) - 1)
        if template is not None:
            walk.out.templates[start_url] = template
        if page_no >= 1:
            first = None
        repeated = repeated | page.anchor_urls
        before = len(walk.out.links)
        unseen = sum(walk.offer(link, check_article=False) for link in page.links)
        walk.attach_links(before)
        if page.ends_short is not None:  # the CMS serves no more than this
            _note_cap(walk, start_url, page, most_links, pages_read=page_no + 1)
            return True
        if not page.links and source.link_selector is None and stored is not None:
            walk.out.errors.append(
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
        if walk.mode == "incremental" and not walk.walk_to_end:
            empty_streak = 0 if unseen else empty_streak + 1
            if empty_streak >= depth:
                return True
        elif walk.window.all_before_start(page.links):
            return True
        url = next(
            (
                n
                for n in page.next_urls
                if same_site(n, source.hosts) and normalize_url(n) not in walk.visited
            ),
            None,
        )
        post = None
        if url is None:
            post = next(
                (
                    r
                    for r in page.next_requests
                    if same_site(r.url, source.hosts) and normalize_url(r.url) not in walk.visited
                ),
                None,
            )
            url = post.url if post else None
        if url is None:
            _note_cap(walk, start_url, page, most_links, pages_read=page_no + 1)
            return True
    return False  # stopped by max_listing_pages: older pages were never looked at


def _note_cap(
    walk: DiscoveryWalk, start_url: str, page: ListingPage, per_page: int, *, pages_read: int
) -> None:
    """A walk that ended on the last page its CMS serves says so in the run's notes when
    older articles are likely behind it (see the module doc): the CMS prints its cap, the
    pager counts more records than its pages hold, a data endpoint stops serving records
    before its count, or a backfill ends on a full page of a counted (script) pager or
    before its window starts."""
    days = [d for d in map(walk.window.day, page.links) if d is not None]
    oldest = f" (the oldest it shows is from {min(days)})" if days else ""
    where = f"{walk.source.id}: the listing {start_url}"
    after = "; older articles need the sitemap or the site's search"
    if page.ends_short is not None:
        walk.out.notes.append(
            f"{where} stops after {pages_read} pages: {page.ends_short}{oldest}{after}"
        )
        return
    cap = cap_reached(page.pager, per_page)
    if cap is not None:
        walk.out.notes.append(f"{where} stops at its CMS cap of {cap} pages{oldest}{after}")
        return
    full = pages_read >= 2 and len(page.links) >= max(per_page, 2)
    if walk.mode != "backfill" or not full:
        return
    counted = page.pager is not None and page.pager.count is not None
    short_of_window = bool(days) and walk.since is not None and min(days) > walk.since
    if counted or short_of_window:
        why = f" before the window's start {walk.since}" if short_of_window else ""
        walk.out.notes.append(
            f"{where} ends on a full page after {pages_read} pages{oldest}{why}: its CMS"
            f" may show no more pages than that{after}"
        )


async def _reread_first(
    walk: DiscoveryWalk, first: tuple[FetchResult, ListingPage, int], second: ListingPage
) -> None:
    """Read page 1 again with the template page 2 showed; swap its offered links."""
    result, old, index = first
    page = await walk.parser.run(
        _parse_listing,
        result,
        walk.source,
        second.template,
        second.anchor_urls,
        learned=walk.out.all_date_evidence,
    )
    walk.unoffer({normalize_url(link.url) for link in old.links})
    before = len(walk.out.links)
    for link in page.links:
        walk.offer(link, check_article=False)
    offered = tuple(link.url for link in walk.out.links[before:])
    pages = walk.out.listing_pages
    pages[index] = replace(pages[index], links=offered)
