"""The feed and sitemap walks of a discovery run (:func:`walk_feed`, :func:`walk_sitemap`): their
entries are offered as article links, checked for what is not an article; a document broken
partway keeps the entries before the break, and its validators are dropped."""

from __future__ import annotations

import dataclasses

from pressroom.core.articles import ListingLink
from pressroom.core.errors import FetchError
from pressroom.extractors.feeds import read_feed, read_sitemap
from pressroom.extractors.urls import normalize_url, same_site
from pressroom.flows.crawl.discovery_walk import DiscoveryWalk

__all__ = ["walk_feed", "walk_sitemap"]


def _record_break(walk: DiscoveryWalk, url: str, stage: str, status: int, error: str) -> None:
    """Record a feed or sitemap broken partway as an error, and drop its validators: the next
    run reads all of it again."""
    walk.out.errors.append(
        FetchError(error, url=url, source=walk.source.id, stage=stage, status=status)
    )
    walk.out.listing_pages = [
        dataclasses.replace(p, etag=None, last_modified=None) if p.url == url else p
        for p in walk.out.listing_pages
    ]


async def walk_feed(walk: DiscoveryWalk, feed_url: str) -> None:
    """Offer the feed's entries; a feed broken partway keeps its readable items."""
    result = await walk.get(feed_url, "feed", conditional=True)
    if result is None or result.content is None:
        return
    read = await walk.parser.run(read_feed, result.content, result.final_url)
    for entry in read.entries:
        link = ListingLink(entry.url, entry.title, entry.published_at or entry.updated_at)
        walk.offer(link, check_article=True)
    if read.error:  # a feed broken partway: its readable items are kept, the break recorded
        _record_break(walk, feed_url, "feed", result.status, read.error)


async def walk_sitemap(walk: DiscoveryWalk, sitemap_url: str) -> None:
    """Offer the sitemap's entries, following its on-site child sitemaps (up to
    ``max_listing_pages`` sitemaps)."""
    queue = [sitemap_url]
    seen: set[str] = set()
    limit = max(1, walk.source.max_listing_pages)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if normalize_url(url) in seen:
            continue
        seen.add(normalize_url(url))
        result = await walk.get(url, "sitemap", conditional=True)
        if result is None or result.content is None:
            continue
        read = await walk.parser.run(read_sitemap, result.content, result.final_url)
        if read.error:  # broken partway: the entries before the break are kept
            _record_break(walk, url, "sitemap", result.status, read.error)
        page = read.page
        for child in page.child_sitemaps:
            if same_site(child, walk.source.hosts):
                queue.append(child)
            else:
                walk.out.skipped.append((child, "off-site sitemap"))
        for entry in page.entries:
            walk.offer(entry, check_article=True)
