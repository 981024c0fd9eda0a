"""Discovery against a real HTTP server: incremental stop, 304s, backfill range, dedupe, feeds."""

from __future__ import annotations

import asyncio
import gzip
from datetime import date

from pressroom.config import SourceConfig
from pressroom.flows.crawl.discover import discover
from pressroom.flows.crawl.discovery_records import Discovery
from pressroom.flows.crawl.fetch import Fetcher

from .helpers import FAST, source_for
from .server import Reply, TestServer, conditional


def _row(path: str, title: str, day: str = "") -> str:
    return f"<li><a href='{path}'>{title}</a> <span>{day}</span></li>"


def _listing(rows: list[str], next_href: str | None = None) -> bytes:
    pager = f"<a href='{next_href}'>Next</a>" if next_href else ""
    return (
        "<html><body><nav><a href='/'>Home</a><a href='/contact'>Contact the city</a></nav>"
        f"<ul class='news'>{''.join(rows)}</ul><div class='pages'>{pager}</div>"
        "<footer><a href='/privacy-policy-and-cookies'>Privacy policy and cookies</a></footer>"
        "</body></html>"
    ).encode()


def _article(n: int) -> str:
    return f"/news/2024/{n:02d}/article-number-{n}.html"


def _three_pages(server: TestServer, first: list[int]) -> None:
    pages = [first, [4, 5, 6], [7, 8, 9]]
    targets = ["/news/", "/news/?page=2", "/news/?page=3"]
    for i, (target, numbers) in enumerate(zip(targets, pages, strict=True)):
        rows = [_row(_article(n), f"City press release number {n}") for n in numbers]
        body = _listing(rows, targets[i + 1] if i + 1 < len(targets) else None)
        server.route(target, conditional(body, etag=f'"p{i}-{numbers[0]}"'))


def run(source: SourceConfig, **kw: object) -> Discovery:
    async def go() -> Discovery:
        async with Fetcher(FAST) as fetcher:
            params: dict[str, object] = {"known_urls": set(), "listing_validators": {}, **kw}
            return await discover(source, fetcher, **params)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_incremental_walks_everything_first_then_stops_early(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    _three_pages(server, [1, 2, 3])
    source = source_for(server)
    first = run(source)
    assert [link.url for link in first.links] == [server.url(_article(n)) for n in range(1, 10)]
    assert first.pages_fetched == 3 and first.errors == []
    known = {link.url for link in first.links}

    _three_pages(server, [10, 1, 2])  # one new article on page 1
    server.requests.clear()
    second = run(source, known_urls=known)
    assert [link.url for link in second.links] == [server.url(_article(10))]
    assert server.paths() == ["/robots.txt", "/news/", "/news/?page=2"]  # page 3 not fetched

    validators = {p.url: (p.etag, p.last_modified) for p in second.listing_pages}
    server.requests.clear()
    third = run(
        source, known_urls=known | {server.url(_article(10))}, listing_validators=validators
    )
    assert third.links == [] and third.not_modified == 1 and third.pages_fetched == 1
    assert server.requests_to("/news/")[0].headers["if-none-match"] == '"p0-10"'


def test_incremental_depth_guards_against_reordering(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    _three_pages(server, [1, 2, 3])
    known = {server.url(_article(n)) for n in (1, 2, 3, 5, 6, 7, 8, 9)}  # 4 moved to page 2
    assert run(source_for(server), known_urls=known).links == []  # depth 1 stops at page 1
    found = run(source_for(server, incremental_depth=2), known_urls=known)
    assert [link.url for link in found.links] == [server.url(_article(4))]


def test_backfill_keeps_range_and_stops_at_older_pages(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    days = {1: "2024-03-10", 2: "2024-03-05", 3: "2024-02-28", 4: "2024-02-20", 5: "2024-02-01"}
    rows = [_row(_article(n), f"Press release number {n} of the city", d) for n, d in days.items()]
    server.route("/news/", _listing(rows[:2], "/news/p2"))
    server.route("/news/p2", _listing(rows[2:4], "/news/p3"))
    server.route("/news/p3", _listing(rows[4:], "/news/p4"))
    server.route("/news/p4", _listing([_row(_article(6), "Even older press release text")]))
    found = run(
        source_for(server), mode="backfill", since=date(2024, 2, 25), until=date(2024, 3, 6)
    )
    assert [link.url for link in found.links] == [server.url(_article(n)) for n in (2, 3)]
    assert found.links[0].published_at is not None
    assert "/news/p3" in server.paths()
    # the walk stops at p3; p4 and p5 may have been read ahead (p2 -> p3 counts), but are
    # neither recorded nor followed, and nothing past them is asked for
    assert [p.url for p in found.listing_pages][-1] == server.url("/news/p3")
    assert set(server.paths()) <= {"/robots.txt", "/news/", "/news/p2", "/news/p3", "/news/p4",
                                   "/news/p5"}  # fmt: skip


def test_same_article_under_two_urls_is_one_link(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    rows = [
        _row(
            "/news/2024/a.html?utm_source=newsletter&utm_medium=email", "Article A under tracking"
        ),
        _row("/news/2024/a.html", "Article A plain address here"),
        _row("/news/2024/b/index.html", "Article B as an index alias"),
        _row("/news/2024/b/", "Article B as its directory URL"),
        _row("/news/2024/c.html#comments", "Article C with a fragment id"),
    ]
    server.route("/news/", _listing(rows))
    feed = f"""<rss><channel>
    <item><link>{server.url("/news/2024/c.html?fbclid=xyz")}</link><title>C</title></item>
    <item><link>{server.url("/news/2024/d.html")}</link><title>D</title></item>
    </channel></rss>"""
    server.route("/feed.xml", Reply(200, feed.encode(), {"Content-Type": "application/rss+xml"}))
    found = run(source_for(server, feed_url=server.url("/feed.xml")))
    assert [link.url for link in found.links] == [
        server.url(p) for p in ("/news/2024/a.html", "/news/2024/b/", "/news/2024/c.html")
    ] + [server.url("/news/2024/d.html")]


def test_feed_and_gzipped_sitemap_index_skip_non_articles(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    server.route("/news/", _listing([]))
    index = f"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{server.url("/sitemap-1.xml.gz")}</loc></sitemap>
      <sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap></sitemapindex>"""
    urlset = f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{server.url("/news/2024/03/library-opens")}</loc><lastmod>2024-03-01</lastmod></url>
      <url><loc>{server.url("/contact-us")}</loc></url>
      <url><loc>{server.url("/")}</loc></url>
      <url><loc>https://elsewhere.example/news/2024/1.html</loc></url></urlset>"""
    server.route("/sitemap.xml", Reply(200, index.encode()))
    server.route("/sitemap-1.xml.gz", Reply(200, gzip.compress(urlset.encode())))
    found = run(source_for(server, sitemap_url=server.url("/sitemap.xml")))
    assert [link.url for link in found.links] == [server.url("/news/2024/03/library-opens")]
    assert found.links[0].published_at is not None
    reasons = dict(found.skipped)
    assert "site page" in reasons[server.url("/contact-us")]
    assert reasons[server.url("/")] == "site home page"
    assert reasons["https://elsewhere.example/sitemap.xml"] == "off-site sitemap"
    assert reasons["https://elsewhere.example/news/2024/1.html"] == "off-site link"


def test_gov_cn_pagination_walk_and_errors_do_not_stop_other_walks(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    script = "<script>createPageHTML({count}, {current}, 'index', 'html');</script>"
    for n in range(3):
        rows = [
            _row(f"./2024/t2024030{n}_{k}.html", f"关于第{n}页第{k}条政府信息的公告通知")
            for k in range(3)
        ]
        body = _listing(rows).replace(b"</body>", script.format(count=3, current=n).encode())
        server.route("/zwgk/index.html" if n == 0 else f"/zwgk/index_{n}.html", body)
    server.route("/broken/", Reply(500))
    found = run(source_for(server, "/broken/", "/zwgk/index.html"))
    assert len(found.links) == 9 and found.links[-1].url.endswith("/zwgk/2024/t20240302_2.html")
    assert [e.status for e in found.errors] == [500]
    assert "/zwgk/index_2.html" in server.paths() and "/zwgk/index_3.html" not in server.paths()


def _numbered_pages(server: TestServer, count: int, delay: float = 0.0) -> None:
    """``/news/page/N/`` listing pages 1..count, three dated articles each, newest first."""
    for page in range(1, count + 1):
        numbers = range(3 * page - 2, 3 * page + 1)
        rows = [_row(_article(n), f"City press release number {n}", "2024-03-05") for n in numbers]
        nxt = f"/news/page/{page + 1}/" if page < count else None
        target = "/news/" if page == 1 else f"/news/page/{page}/"
        server.route(target, Reply(200, _listing(rows, nxt), delay=delay))


def test_predict_next_page_counts_in_the_url_or_not_at_all() -> None:
    from pressroom.flows.crawl.read_ahead import predict_next_page

    assert predict_next_page("https://x.gov/news/page/2/", "https://x.gov/news/page/3/") == [
        "https://x.gov/news/page/4/",
        "https://x.gov/news/page/5/",
    ]
    assert predict_next_page("https://x.gov/a/index_9.html", "https://x.gov/a/index_10.html") == [
        "https://x.gov/a/index_11.html",
        "https://x.gov/a/index_12.html",
    ]
    assert predict_next_page(None, "https://x.gov/news/page/2/") == []
    assert predict_next_page("https://x.gov/news/", "https://x.gov/news/page/2/") == []
    assert predict_next_page("https://x.gov/news/page/2/", "https://x.gov/news/page/4/") == []
    assert predict_next_page("https://x.gov/2023/list?p=2", "https://x.gov/2024/list?p=3") == []


def test_backfill_reads_numbered_listing_pages_ahead_and_records_only_those_it_walks(
    server: TestServer,
) -> None:
    server.route("/robots.txt", Reply(404))
    _numbered_pages(server, 6, delay=0.05)
    found = run(source_for(server, per_host_concurrency=2), mode="backfill")

    assert [link.url for link in found.links] == [server.url(_article(n)) for n in range(1, 19)]
    assert found.pages_fetched == 6 and found.errors == []
    assert [p.url for p in found.listing_pages] == [server.url("/news/")] + [
        server.url(f"/news/page/{n}/") for n in range(2, 7)
    ]
    listing = [p for p in server.paths() if p.startswith("/news/page/")]
    # pages 4-6 were requested while the one before was being parsed; at most two guesses
    # past the last page (404s, not recorded as errors)
    assert set(listing) <= {f"/news/page/{n}/" for n in range(2, 9)}
    assert len(listing) == len(set(listing))  # never asked twice
    page = {r.path: r.at for r in server.requests}
    assert page["/news/page/5/"] < page["/news/page/4/"] + 0.05  # before page 4 was answered


def test_incremental_walks_do_not_read_ahead(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    _numbered_pages(server, 6)
    run(source_for(server))
    assert server.paths() == ["/robots.txt", "/news/"] + [f"/news/page/{n}/" for n in range(2, 7)]


def test_backfill_stops_guessing_when_the_site_paginates_otherwise(server: TestServer) -> None:
    server.route("/robots.txt", Reply(404))
    _numbered_pages(server, 3)
    row = [_row(_article(n), f"City press release number {n}", "2024-03-05") for n in (10, 11)]
    # page 3 links on to an unnumbered archive page, not to the guessed /news/page/4/
    server.route("/news/page/3/", _listing(row[:1], "/news/archive.html"))
    server.route("/news/archive.html", _listing(row[1:]))
    found = run(source_for(server), mode="backfill")
    expected = [*range(1, 7), 10, 11]
    assert [link.url for link in found.links] == [server.url(_article(n)) for n in expected]
    assert found.errors == [] and found.pages_fetched == 4
    assert [p.url for p in found.listing_pages][-2:] == [
        server.url("/news/page/3/"),
        server.url("/news/archive.html"),
    ]
