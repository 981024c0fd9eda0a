"""The state of one discovery run (:class:`DiscoveryWalk`) and its steps that every walk shares:
fetching a page with the stored validators, recording the response, and offering the links it
showed (new, on site and in range). The listing, feed and sitemap walks drive it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from pressroom.config import SourceConfig
from pressroom.core.articles import DateOrderEvidence, ListingLink, ListingRequest, ListTemplate
from pressroom.core.errors import FetchError
from pressroom.extractors.feeds import article_url_rejection
from pressroom.extractors.urls import normalize_url, same_site
from pressroom.flows.crawl.discovery_records import Discovery, ListingFetch, Mode, Validators
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.flows.crawl.fetch_result import FetchResult
from pressroom.flows.crawl.parsing import ParsePool
from pressroom.flows.crawl.window import DateWindow

__all__ = ["DiscoveryWalk"]


class DiscoveryWalk:
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
