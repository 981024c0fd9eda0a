"""``pressroom check-source``: what the pipeline would make of one listing page and one article.

For a person adding a newsroom: fetches (politely, through the same Fetcher) the first listing
page and one article, and reports each field with the rule that produced it, and how each page's
numeric dates were read (``date_order``: the order and the evidence that decided). Writes nothing.
The listing is read with the list template the source's runs learned (``list_templates``)
and the unambiguous dates their listing pages showed (``runs.date_day_first``...), when the
warehouse has them, so that it shows the links and dates a run would take.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pressroom.config import Config, SourceConfig
from pressroom.core.articles import ListingPage, ListTemplate
from pressroom.core.crawl_state import CrawlState
from pressroom.core.errors import WarehouseError
from pressroom.extractors.inspect import PageCheck, check_article
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.listing_check import LinkVerdict, describe_pager, explain_links
from pressroom.flows.crawl.fetch import Fetcher
from pressroom.warehouse.state import read_crawl_state

__all__ = ["SourceCheck", "check_source"]


@dataclass
class SourceCheck:
    """The listing and article as pressroom sees them."""

    listing_url: str
    listing: ListingPage | None
    article_url: str | None
    article: PageCheck | None
    problems: list[str] = field(default_factory=list)
    template: ListTemplate | None = None
    """The stored list template the listing was read with, if the warehouse has one."""
    links: list[LinkVerdict] = field(default_factory=list)
    """Every link of the listing page: taken as an article, or why not."""
    pager: str = "none found"
    """How the listing page names its next page."""


async def check_source(config: Config, source: SourceConfig, url: str | None = None) -> SourceCheck:
    """Fetch the first listing page and one article (``url``, else the listing's first link)."""
    profile = source.extraction_profile()
    listing_url = source.start_urls[0]
    check = SourceCheck(listing_url=listing_url, listing=None, article_url=url, article=None)
    state = stored_state(config, source)
    check.template = state.templates.get(listing_url)
    async with Fetcher(config.crawler) as fetcher:
        listing_result = await fetcher.fetch(source, listing_url, stage="listing")
        check.listing = parse_listing(
            listing_result.content or b"",
            listing_result.final_url,
            link_selector=source.link_selector,
            next_selector=source.next_selector,
            date_order=profile.date_order,
            timezone=source.timezone,
            template=check.template,
            date_order_set=profile.date_order_set,
            language=source.language,
            learned=state.date_evidence,
        )
        evidence = check.listing.date_evidence.merged(state.date_evidence)
        profile = replace(profile, date_evidence=evidence)
        check.links = explain_links(
            listing_result.content or b"", listing_result.final_url, check.listing, source.hosts
        )
        check.pager = describe_pager(check.listing)
        if check.listing.template_matched is False:
            check.problems.append("the stored list template no longer matches the listing page")
        if not check.listing.links:
            check.problems.append("no article links found on the listing page")
        if check.article_url is None and check.listing.links:
            check.article_url = check.listing.links[0].url
        if check.article_url is None:
            return check
        result = await fetcher.fetch(source, check.article_url, stage="article")
        check.article = check_article(
            result.content or b"",
            result.final_url,
            profile=profile,
            content_type=result.headers.get("content-type"),
        )
    return check


def stored_state(config: Config, source: SourceConfig) -> CrawlState:
    """What the source's runs learned (list templates, date evidence); empty when the warehouse
    has nothing or cannot be read now (locked by a loading run)."""
    try:
        return read_crawl_state(
            config.warehouse_path, source.id, lock_timeout=2.0, staging_dir=config.staging_dir
        )
    except WarehouseError:
        return CrawlState(source.id)
