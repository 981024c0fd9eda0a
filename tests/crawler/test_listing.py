"""Listing pages: generic article-link finding and every pagination style."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.extractors.listing import parse_listing

BASE = "https://city.example.gov/news/"

_CHROME = """
<header><a href="/">
    Home</a><a href="/about-the-city-council-and-mayor">About the City Council</a></header>
<nav><ul>
  <li><a href="/news/">News and announcements</a></li>
  <li><a href="/services/parking-permits-and-fines">Parking permits and fines</a></li>
</ul></nav>
<div class="hot-news"><h3>Most read</h3><ul>
  <li><a href="/news/2023/01/05/old-popular-story-about-snow">Old popular story about snow</a></li>
  <li><a href="/news/2023/02/07/another-popular-story-here">
    Another popular story here today</a></li>
  <li><a href="/news/2023/03/09/third-popular-story-here">Third popular story here today</a></li>
</ul></div>
"""
_FOOTER = """
<footer><ul>
  <li><a href="/privacy-policy-and-cookie-statement">Privacy policy and cookie statement</a></li>
  <li><a href="/contact-the-press-office-today">Contact the press office today</a></li>
  <li><a href="/accessibility-statement-for-this-site">
    Accessibility statement for this site</a></li>
</ul></footer>
"""


def _page(items: str, pager: str = "", head: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{_CHROME}<main><ul class='news-list'>{items}</ul>"
        f"<div class='pagination'>{pager}</div></main>{_FOOTER}</body></html>"
    )


_ITEMS = """
<li class="odd"><a href="2024/03/01/mayor-opens-new-library-branch">
    Mayor opens new library branch</a>
    <span class="date">March 1, 2024</span></li>
<li class="even"><a href="2024/02/27/road-works-on-main-street?utm_source=rss">
    Road works on Main Street begin Monday</a>
    <span class="date">February 27, 2024</span></li>
<li class="odd"><a href="2024/02/20/council-approves-budget.html#comments">
    Council approves the 2024 budget</a>
    <span class="date">Feb 20, 2024</span></li>
"""


def _urls(page_html: str, url: str = BASE, **kw: object) -> list[str]:
    return [link.url for link in parse_listing(page_html, url, **kw).links]  # type: ignore[arg-type]


def test_generic_links_skip_menus_hot_lists_and_footers() -> None:
    page = parse_listing(_page(_ITEMS), BASE, timezone="America/New_York")
    assert [link.url for link in page.links] == [
        "https://city.example.gov/news/2024/03/01/mayor-opens-new-library-branch",
        "https://city.example.gov/news/2024/02/27/road-works-on-main-street",
        "https://city.example.gov/news/2024/02/20/council-approves-budget.html",
    ]
    assert page.links[0].title == "Mayor opens new library branch"
    assert page.links[0].published_at == datetime(2024, 3, 1, tzinfo=ZoneInfo("America/New_York"))
    assert page.links[2].published_at == datetime(2024, 2, 20, tzinfo=ZoneInfo("America/New_York"))
    assert page.next_urls == ()


def test_generic_links_cjk_table_layout_with_dates() -> None:
    rows = "".join(
        f"<tr><td><a href='./202403/t2024030{i}_{1000 + i}.html' target='_blank'>"
        f"关于做好2024年第{i}季度安全生产工作的通知</a></td><td>2024-03-0{i}</td></tr>"
        for i in range(1, 5)
    )
    html = (
        "<html><body><div class='nav'><a href='/'>首页</a><a href='/xxgk/'>信息公开</a></div>"
        f"<table class='list'>{rows}</table>"
        "<div class='footer'><a href='/wzdt/'>网站地图和联系我们的方式</a></div></body></html>"
    )
    page = parse_listing(
        html, "http://www.city.gov.cn/zwgk/tzgg/index.html", timezone="Asia/Shanghai"
    )
    assert [link.url for link in page.links] == [
        f"http://www.city.gov.cn/zwgk/tzgg/202403/t2024030{i}_{1000 + i}.html" for i in range(1, 5)
    ]
    assert page.links[3].published_at == datetime(2024, 3, 4, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_last_page_with_one_article_still_found() -> None:
    items = "<li><a href='2019/01/02/first-ever-press-release'>First ever press release</a></li>"
    assert _urls(_page(items)) == [
        "https://city.example.gov/news/2019/01/02/first-ever-press-release"
    ]


def test_off_site_links_are_not_articles() -> None:
    items = _ITEMS + (
        "<li><a href='https://othersite.org/2024/01/01/syndicated-copy-of-story'>"
        "Syndicated copy of the story elsewhere</a></li>"
    )
    assert all(u.startswith("https://city.example.gov/") for u in _urls(_page(items)))


def test_selectors_override_generic_finding() -> None:
    html = _page(_ITEMS, "<a class='go' href='?page=2'>more</a>")
    page = parse_listing(
        html, BASE, link_selector=".hot-news li a", next_selector="div.pagination .go"
    )
    assert len(page.links) == 3 and "old-popular-story" in page.links[0].url
    assert page.next_urls == ("https://city.example.gov/news/?page=2",)


def _next(pager: str, url: str = BASE, head: str = "") -> tuple[str, ...]:
    return parse_listing(_page(_ITEMS, pager, head), url).next_urls


def test_next_rel_link_in_head() -> None:
    assert _next("", head="<link rel='next' href='/news/page/2/'>") == (
        "https://city.example.gov/news/page/2/",
    )


def test_next_by_text_next_older_chinese_and_arrows() -> None:
    for label in ("Next", "Next page", "Older posts", "下一页", "»", "›", "&gt;"):
        pager = f"<a href='?page=1'>First</a><a href='?page=3'>{label}</a>"
        assert _next(pager, BASE + "?page=2") == ("https://city.example.gov/news/?page=3",), label


def test_next_by_numbered_links() -> None:
    pager = "<a href='?page=1'>1</a><span class='current'>2</span><a href='?page=3'>3</a>"
    assert _next(pager, BASE + "?page=2") == ("https://city.example.gov/news/?page=3",)
    first = "<span>1</span><a href='?page=2'>2</a><a href='?page=3'>3</a>"
    assert _next(first) == ("https://city.example.gov/news/?page=2",)
    marked = "<ul><li><a href='?p=1'>1</a></li><li class='active'><a href='?p=2'>2</a></li>"
    marked += "<li><a href='?p=3'>3</a></li></ul>"
    assert _next(marked, BASE + "?p=2") == ("https://city.example.gov/news/?p=3",)
    alias = "<a href='?page=1'>1</a><a href='?page=2'>2</a><a href='?page=3'>3</a>"
    assert _next(alias) == ("https://city.example.gov/news/?page=2",)
    last = "<a href='?page=1'>1</a><a href='?page=2'>2</a><span class='current'>3</span>"
    assert _next(last, BASE + "?page=3") == ()


def test_next_gov_cn_index_pattern() -> None:
    url = "http://www.city.gov.cn/zwgk/tzgg/index.html"
    pager = (
        "<a href='index_1.html'>2</a><a href='index_2.html'>3</a><a href='index_9.html'>尾页</a>"
    )
    assert _next(pager, url)[0] == "http://www.city.gov.cn/zwgk/tzgg/index_1.html"
    url1 = "http://www.city.gov.cn/zwgk/tzgg/index_1.html"
    pager1 = "<a href='index.html'>首页</a><a href='index_2.html'>尾页</a>"
    assert _next(pager1, url1) == ("http://www.city.gov.cn/zwgk/tzgg/index_2.html",)


def test_next_gov_cn_create_page_html_script() -> None:
    script = '<script>createPageHTML(5, 0, "index", "shtml");</script>'
    url = "http://www.city.gov.cn/zwgk/tzgg/index.shtml"
    assert _next(script, url) == ("http://www.city.gov.cn/zwgk/tzgg/index_1.shtml",)
    url3 = "http://www.city.gov.cn/zwgk/tzgg/index_3.shtml"
    script3 = "<script>var countPage = 5; var currentPage = 3;\n"
    script3 += 'createPageHTML(countPage, currentPage, "index", "shtml");</script>'
    assert _next(script3, url3) == ("http://www.city.gov.cn/zwgk/tzgg/index_4.shtml",)
    # the six-argument form counts from 1 (index.html, index_2.html, ..., index_7.html):
    # its last page is index_7 (issue 13; this case asserted index_6 as the last one before)
    newer = "<script>createPageHTML('page_div', 7, 7, 'index', 'html', 140);</script>"
    assert _next(newer, "http://www.city.gov.cn/a/index_7.html") == ()


_WORDPRESS = """<html><body><form id="aspnetForm"><div id="masthead"><ul id="primary-menu">
<li><a href="/services/">Services for residents</a></li></ul></div>
<div id="primary"><main>
<article class="post-1 post"><header class="entry-header"><h2 class="entry-title">
  <a href="/2024/03/spring-cleanup-week-announced/">Spring cleanup week announced</a></h2>
  <time class="entry-date" datetime="2024-03-05T09:00:00-05:00">March 5, 2024</time></header>
  <p>Text <a href="/2024/03/spring-cleanup-week-announced/">Continue reading</a></p></article>
<article class="post-2 post"><header class="entry-header"><h2 class="entry-title">
  <a href="/2024/02/new-fire-chief-sworn-in/">New fire chief sworn in</a></h2>
  <time datetime="2024-02-20T09:00:00-05:00">February 20, 2024</time></header></article>
<article class="post-3 post"><header class="entry-header"><h2 class="entry-title">
  <a href="/2024/02/water-main-repairs/">Water main repairs on Elm Street</a></h2>
  <time datetime="2024-02-10">February 10, 2024</time></header></article>
<nav class="posts-navigation"><div class="nav-previous">
  <a href="/news/page/2/">Older posts</a></div></nav>
</main></div>
<div id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2><ul>
<li><a href="/2024/03/spring-cleanup-week-announced/">Spring cleanup week announced</a></li>
<li><a href="/2023/12/holiday-hours-for-town-hall/">Holiday hours for town hall offices</a></li>
</ul></section></div></form></body></html>"""


def test_wordpress_articles_with_entry_headers_inside_a_page_form() -> None:
    page = parse_listing(_WORDPRESS, "https://www.town.org/news/", timezone="America/New_York")
    assert [link.url.rsplit("/", 2)[-2] for link in page.links] == [
        "spring-cleanup-week-announced",
        "new-fire-chief-sworn-in",
        "water-main-repairs",
    ]
    assert page.links[0].published_at is not None
    assert page.links[0].published_at.isoformat() == "2024-03-05T09:00:00-05:00"
    assert page.next_urls == ("https://www.town.org/news/page/2/",)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["<a href='", "?page=2", "index_1.html", "'>", "</a>", "Next", "下一页", "<li>",
             "<ul class='nav'>", "2024-03-01", "createPageHTML(", "3, 1, 'index', 'html')",
             "<script>", "</script>", "javascript:", "http://[bad", "1", "2", "<span>", "»"]
        ),
        max_size=40,
    ).map("".join)
)  # fmt: skip
def test_parse_listing_never_raises(html: str) -> None:
    page = parse_listing(html, "http://www.city.gov.cn/news/index.html")
    assert all(u.startswith("http") for u in page.next_urls)
