"""Why each link of a listing page was or was not taken: for ``pressroom check-source``.

:func:`explain_links` walks every anchor of a listing page after :func:`parse_listing` has read
it and gives each distinct URL a verdict: taken as an article (a row of the list), the next
page, or the reason it was left out (another site, not a web page, navigation or a box outside
the list's rows, ...). :func:`describe_pager` names how the page leads to the next one. Pure:
bytes and the parsed page in, text out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bs4 import BeautifulSoup

from pressroom.core.articles import ListingPage
from pressroom.extractors.feeds import article_url_rejection
from pressroom.extractors.scripts import expand_scripts
from pressroom.extractors.urls import normalize_url, same_site

__all__ = ["LinkVerdict", "describe_pager", "explain_links"]

_SCHEMES_LEFT_OUT = ("javascript:", "mailto:", "tel:", "data:")


@dataclass(frozen=True)
class LinkVerdict:
    """One distinct link of the page: its text, URL, whether it was taken, and why (not)."""

    url: str
    text: str
    taken: bool
    reason: str


def explain_links(
    body: bytes | str, page_url: str, page: ListingPage, hosts: Iterable[str]
) -> list[LinkVerdict]:
    """Every distinct link of the page in page order, with its verdict (see module doc)."""
    hosts = tuple(hosts)
    taken = {link.url for link in page.links}
    next_pages = {*page.next_urls, *(r.url for r in page.next_requests)}
    soup = BeautifulSoup(expand_scripts(body), "lxml")
    verdicts: list[LinkVerdict] = []
    seen: set[str] = set()
    for anchor in soup.find_all("a", href=True):
        href = str(anchor["href"]).strip()
        text = " ".join(anchor.get_text(" ", strip=True).split())[:80]
        if not href or href.startswith("#") or href.lower().startswith(_SCHEMES_LEFT_OUT):
            continue
        url = normalize_url(href, base=page_url)
        if url in seen:
            continue
        seen.add(url)
        verdicts.append(_verdict(url, text, taken, next_pages, hosts))
    return verdicts


def _verdict(
    url: str, text: str, taken: set[str], next_pages: set[str], hosts: tuple[str, ...]
) -> LinkVerdict:
    if url in taken:
        return LinkVerdict(url, text, True, "a row of the article list")
    if url in next_pages:
        return LinkVerdict(url, text, False, "the next listing page")
    if not same_site(url, hosts):
        return LinkVerdict(url, text, False, "another site")
    rejection = article_url_rejection(url)
    if rejection:
        return LinkVerdict(url, text, False, rejection)
    return LinkVerdict(url, text, False, "outside the list's rows (navigation, a box, a footer)")


def describe_pager(page: ListingPage) -> str:
    """How the page names its next page: a data endpoint, a script pager, a link, or none."""
    if page.next_requests:
        return f"data endpoint (POST {page.next_requests[0].url})"
    pager = page.pager
    if pager is not None and (pager.count is not None or pager.cap is not None):
        parts = []
        if pager.current is not None and pager.count is not None:
            parts.append(f"page {pager.current} of {pager.count}")
        elif pager.count is not None:
            parts.append(f"{pager.count} pages")
        if pager.total_records is not None:
            parts.append(f"{pager.total_records} records")
        if pager.cap is not None:
            parts.append(f"capped by the CMS at {pager.cap} pages")
        return "script pager (" + ", ".join(parts) + ")"
    if page.next_urls:
        return "a link on the page"
    return "none found"
