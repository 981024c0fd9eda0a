"""Listing pages that a CMS data endpoint answers to a POST (Hanweb jcms ``dataproxy.jsp``).

The answer's records are read as the rows of a listing page (links, dates, full titles), and
the next request is the following record range with the same form and ``Referer``.
"""

from __future__ import annotations

from pressroom.core.articles import DateOrder, ListingPage, ListingRequest
from pressroom.extractors.hanweb import next_request, read_answer, record_range
from pressroom.extractors.listing import parse_listing
from pressroom.extractors.urls import normalize_url

__all__ = ["parse_endpoint_answer"]


def parse_endpoint_answer(
    body: bytes | str,
    request: ListingRequest,
    *,
    date_order: DateOrder = "YMD",
    timezone: str = "UTC",
) -> ListingPage:
    """The listing page an endpoint answer stands for; ValueError when it is not its XML."""
    answer = read_answer(body)
    rows = "".join(answer.records)
    page = parse_listing(
        f'<html><body><ul class="records">{rows}</ul></body></html>',
        request.referer or request.url,
        date_order=date_order,
        timezone=timezone,
    )
    following = next_request(request, answer.total_records)
    ends_short = None
    asked = record_range(request.url)
    total = answer.total_records
    if not answer.records and total is not None and asked is not None and asked[0] <= total:
        ends_short = (
            f"the data endpoint served no records from record {asked[0]} although it reports"
            f" {total} in all"
        )
        following = None  # the ranges after an empty one are never asked for
    return ListingPage(
        url=normalize_url(request.url),
        links=page.links,
        next_requests=(following,) if following else (),
        ends_short=ends_short,
    )
