"""Issue 13, item 1: the list template is learned from a source's first pages, not guessed per page.

Pages here are written for these tests (a UK-council-style newsroom, :mod:`.council`, and small
pages below); discovery runs against a real loopback server.
"""

from __future__ import annotations

import asyncio

import pytest

from pressroom.core.articles import ListTemplate
from pressroom.extractors.listing import parse_listing
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher

from .council import CouncilNewsroom
from .helpers import FAST, source_for
from .server import TestServer

BASE = "https://www.ashby.example.gov.uk/news/"


def _run(server: TestServer, **kw: object) -> Discovery:
    source = source_for(server, "/news/", max_listing_pages=10)

    async def go() -> Discovery:
        async with Fetcher(FAST.model_copy(update=dict(max_response_bytes=1 << 20))) as f:
            params: dict[str, object] = {"known_urls": set(), "listing_validators": {}, **kw}
            return await discover(source, f, **params)  # type: ignore[arg-type]

    return asyncio.run(go())


@pytest.fixture
def council(server: TestServer) -> CouncilNewsroom:
    return CouncilNewsroom(server)


def _learned(site: CouncilNewsroom) -> ListTemplate:
    page = parse_listing(site.listing(1), site.server.url("/news/"))
    assert page.template is not None
    return page.template


# --------------------------------------------------------------------------- the template


def test_a_template_round_trips_through_json() -> None:
    template = ListTemplate(("html", "body", "ul.news", "li", "a"), 1, ("span.date",))
    assert ListTemplate.from_json(template.to_json()) == template
    assert ListTemplate.from_json(ListTemplate(("a",)).to_json()).date_path is None
    with pytest.raises(ValueError):
        ListTemplate.from_json('{"rows": 3}')


def test_the_first_page_teaches_the_rows_and_where_their_date_sits(
    council: CouncilNewsroom,
) -> None:
    template = _learned(council)
    assert template.signature[-3:] == ("div.news-item", "h3", "a")
    assert template.row_depth == 2 and template.date_path == ("p.meta",)


def test_a_short_last_page_gives_its_two_rows_not_the_sidebar_box(
    council: CouncilNewsroom,
) -> None:
    url = council.server.url(council.page_path(3))
    page = parse_listing(council.listing(3), url, template=_learned(council))
    assert page.template_matched is True
    assert {link.url for link in page.links} == council.urls(council.on_page(3))
    assert [str(link.published_at.date()) for link in page.links if link.published_at] == [
        "2023-01-16",
        "2023-01-07",
    ]


def test_a_template_still_matches_when_a_wrapper_above_the_list_changed(
    council: CouncilNewsroom,
) -> None:
    html = council.listing(2).replace('<div class="wrap">', '<div class="wrap-2024">')
    page = parse_listing(html, council.server.url("/news/page/2/"), template=_learned(council))
    assert page.template_matched is True
    assert {link.url for link in page.links} == council.urls(council.on_page(2))


def test_the_date_is_read_where_the_template_says(council: CouncilNewsroom) -> None:
    row = (
        '<div class="news-item"><p>Follow-up to the hearing of 2 February 2022.</p>'
        '<h3><a href="/news/2023/bridge-repairs-begin-on-mill-lane">Bridge repairs begin on'
        ' Mill Lane</a></h3><p class="meta">14 March 2023 | Roads</p></div>'
    )
    html = f"<html><body><div class='wrap'><div class='left'><div class='news-list'>{row}"
    html += "</div></div></div></body></html>"
    template = ListTemplate(
        ("html", "body", "div.wrap", "div.left", "div.news-list", "div.news-item", "h3", "a"),
        2,
        ("p.meta",),
    )
    (link,) = parse_listing(html, BASE, template=template).links
    assert link.published_at is not None and str(link.published_at.date()) == "2023-03-14"


def test_a_redesigned_page_does_not_match_and_teaches_the_new_rows(
    council: CouncilNewsroom,
) -> None:
    old = _learned(council)
    council.layout = "v2"
    page = parse_listing(council.listing(1), council.server.url("/news/"), template=old)
    assert page.template_matched is False
    assert page.template is not None and page.template.signature[-2:] == (
        "article.card",
        "a.card-link",
    )
    assert {link.url for link in page.links} == council.urls(council.on_page(1))


# --------------------------------------------------------------------------- chrome


def _short_page(
    box_heading: str, box_class: str = "box", news_items: tuple[int, ...] = (1, 2)
) -> str:
    news = "".join(
        f'<li><a href="/news/2023/0{n}/harbour-wall-repair-phase-{n}.html">Harbour wall repair'
        f" phase {n} approved</a> <span>2023-0{n}-10</span></li>"
        for n in news_items
    )
    box = "".join(
        f'<li><a href="/news/2022/1{n}/winter-festival-programme-part-{n}.html">Winter festival'
        f" programme part {n}</a></li>"
        for n in range(5)
    )
    return (
        f"<html><body><div class='main'><ul class='list'>{news}</ul></div>"
        f"<div class='right'><div class='{box_class}'>{box_heading}<ul>{box}</ul></div></div>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    "heading",
    [
        "<h3>Most read</h3>",
        "<h2>Most popular</h2>",
        "<strong>Related</strong>",
        "<span class='title'>热点新闻</span>",
        "<h4>热门文章</h4>",
        "<h3>点击排行</h3>",
        "<div class='box-title'>推荐阅读</div>",
        "<h3>相关链接</h3>",
    ],
)
def test_a_box_headed_most_read_is_chrome_whatever_its_classes(heading: str) -> None:
    page = parse_listing(_short_page(heading), BASE)
    assert [link.url.rsplit("/", 1)[-1] for link in page.links] == [
        "harbour-wall-repair-phase-1.html",
        "harbour-wall-repair-phase-2.html",
    ]


def test_a_box_headed_otherwise_still_wins_a_short_page_without_a_template() -> None:
    """The reason the template exists: heading words cannot name every box."""
    page = parse_listing(_short_page("<h3>Events this winter</h3>"), BASE)
    assert len(page.links) == 5


def test_a_box_whose_links_the_walk_saw_before_is_not_the_list() -> None:
    heading = "<h3>Events this winter</h3>"
    first = parse_listing(_short_page(heading, news_items=(3, 4, 5, 6, 7, 8)), BASE)
    page = parse_listing(_short_page(heading), BASE + "page/2/", repeated=first.anchor_urls)
    assert [link.url.rsplit("/", 1)[-1] for link in page.links] == [
        "harbour-wall-repair-phase-1.html",
        "harbour-wall-repair-phase-2.html",
    ]


def test_a_headline_that_says_related_is_not_a_box_heading() -> None:
    rows = "".join(
        f'<div class="item"><h3><a href="/news/2023/related-services-update-{n}.html">Related'
        f" services update number {n} for residents</a></h3></div>"
        for n in range(4)
    )
    page = parse_listing(f"<html><body><div class='list'>{rows}</div></body></html>", BASE)
    assert len(page.links) == 4


# --------------------------------------------------------------------------- the walk


def test_a_walk_learns_the_template_and_loads_the_short_last_page(
    server: TestServer, council: CouncilNewsroom
) -> None:
    found = _run(server)
    assert found.errors == [] and found.relearned == []
    assert {link.url for link in found.links} == council.urls(council.news)
    assert len(found.links) == 22
    (template,) = found.templates.values()
    assert template == _learned(council)


def test_a_walk_with_a_stored_template_uses_it(
    server: TestServer, council: CouncilNewsroom
) -> None:
    template = _learned(council)
    found = _run(server, templates={server.url("/news/"): template})
    assert {link.url for link in found.links} == council.urls(council.news)
    assert found.templates == {server.url("/news/"): template} and found.relearned == []


def test_a_redesign_is_relearned_and_reported(server: TestServer, council: CouncilNewsroom) -> None:
    template = _learned(council)
    council.layout = "v2"
    found = _run(server, templates={server.url("/news/"): template})
    assert {link.url for link in found.links} == council.urls(council.news)
    assert found.relearned == [(server.url("/news/"), server.url("/news/"))]
    assert found.templates[server.url("/news/")].signature[-1] == "a.card-link"


def test_a_listing_that_yields_nothing_on_a_source_that_had_links_is_an_error(
    server: TestServer, council: CouncilNewsroom
) -> None:
    template = _learned(council)
    council.layout = "empty"
    found = _run(server, templates={server.url("/news/"): template})
    assert found.links == []
    (error,) = found.errors
    assert error.stage == "listing" and error.url == server.url("/news/")
    assert "no article links" in error.reason
    assert found.listing_pages[0].trusted is False


def test_page_two_corrects_a_wrong_first_guess_of_page_one(server: TestServer) -> None:
    """Page 1's unmarked box has more links than its list; page 2 repeats the box."""
    box = "".join(
        f'<li><a href="/stories/2022/community-heroes-story-number-{n}">Community heroes story'
        f" number {n} of the year</a></li>"
        for n in range(8)
    )

    def page(numbers: range, next_href: str | None) -> str:
        rows = "".join(
            f'<div class="row"><a href="/news/2023/{n:02d}/press-release-{n}.html">Press release'
            f' number {n} from the council</a><span class="d">2023-05-{n:02d}</span></div>'
            for n in numbers
        )
        pager = f'<a href="{next_href}">Next</a>' if next_href else ""
        return (
            f"<html><body><div class='c'>{rows}</div><div class='x'><div class='y'>"
            f"<h3>Our community</h3><ul>{box}</ul></div></div>{pager}</body></html>"
        )

    server.route("/robots.txt", b"")
    server.route("/news/", page(range(1, 5), "/news/?page=2"))
    server.route("/news/?page=2", page(range(5, 9), None))
    found = _run(server)
    assert sorted(link.url.rsplit("/", 1)[-1] for link in found.links) == [
        f"press-release-{n}.html" for n in range(1, 9)
    ]
    assert found.listing_pages[0].links == tuple(
        server.url(f"/news/2023/{n:02d}/press-release-{n}.html") for n in range(1, 5)
    )
