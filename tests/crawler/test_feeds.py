"""Feeds and sitemaps: RSS, Atom, sitemap index, gzip, lastmod, safe XML, non-article URLs."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.extractors.feeds import (
    article_url_rejection,
    looks_like_article_url,
    parse_feed,
    parse_sitemap,
    read_feed,
    read_sitemap,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>City news</title><link>https://city.example.gov/news/</link>
<item><title>Mayor opens library</title>
  <link>https://city.example.gov/news/2024/03/01/library?utm_source=rss</link>
  <pubDate>Fri, 01 Mar 2024 14:30:00 -0500</pubDate></item>
<item><title>Budget approved</title><guid isPermaLink="true">/news/2024/02/20/budget.html</guid>
  <dc:date>2024-02-20T09:00:00Z</dc:date></item>
<item><title>No link here</title><guid isPermaLink="false">tag:city,2024:1</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><title>Road works</title>
  <link rel="alternate" type="text/html" href="https://city.example.gov/news/road-works-2024"/>
  <link rel="edit" href="https://city.example.gov/api/1"/>
  <published>2024-02-27T08:00:00+01:00</published><updated>2024-02-28T10:00:00Z</updated>
</entry>
<entry><title>Relative</title><link href="/news/relative-entry-1"/>
  <updated>2024-01-01T00:00:00Z</updated></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://city.example.gov/news/2024/03/01/library</loc><lastmod>2024-03-02</lastmod></url>
<url><loc>https://city.example.gov/news/2024/02/20/budget.html</loc>
  <lastmod>2024-02-21T10:00:00+08:00</lastmod>
  <news:news><news:publication_date>2024-02-20T09:00:00Z</news:publication_date>
  <news:title>Budget approved</news:title></news:news></url>
<url><loc>https://city.example.gov/contact-us</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://city.example.gov/sitemap-2024.xml.gz</loc><lastmod>2024-03-02</lastmod></sitemap>
<sitemap><loc>/sitemap-2023.xml</loc></sitemap>
</sitemapindex>"""


def test_rss_items_links_guid_permalinks_and_dates() -> None:
    entries = parse_feed(RSS, "https://city.example.gov/feed.xml")
    assert [e.url for e in entries] == [
        "https://city.example.gov/news/2024/03/01/library",
        "https://city.example.gov/news/2024/02/20/budget.html",
    ]
    assert entries[0].title == "Mayor opens library"
    assert entries[0].published_at == datetime(
        2024, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=-5))
    )
    assert entries[1].published_at == datetime(2024, 2, 20, 9, tzinfo=UTC)


def test_atom_alternate_links_and_dates() -> None:
    entries = parse_feed(ATOM, "https://city.example.gov/atom.xml")
    assert [e.url for e in entries] == [
        "https://city.example.gov/news/road-works-2024",
        "https://city.example.gov/news/relative-entry-1",
    ]
    assert entries[0].published_at == datetime(2024, 2, 27, 7, tzinfo=UTC)
    assert entries[0].updated_at == datetime(2024, 2, 28, 10, tzinfo=UTC)
    assert entries[1].published_at is None


def test_sitemap_urlset_lastmod_and_news_date() -> None:
    page = parse_sitemap(URLSET, "https://city.example.gov/sitemap.xml")
    assert page.child_sitemaps == ()
    assert [e.url for e in page.entries][:2] == [
        "https://city.example.gov/news/2024/03/01/library",
        "https://city.example.gov/news/2024/02/20/budget.html",
    ]
    assert page.entries[0].published_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert page.entries[1].published_at == datetime(2024, 2, 20, 9, tzinfo=UTC)
    assert page.entries[1].title == "Budget approved"


def test_sitemap_index_and_gzipped_sitemap() -> None:
    index = parse_sitemap(INDEX, "https://city.example.gov/sitemap_index.xml")
    assert index.entries == ()
    assert index.child_sitemaps == (
        "https://city.example.gov/sitemap-2024.xml.gz",
        "https://city.example.gov/sitemap-2023.xml",
    )
    gz = parse_sitemap(gzip.compress(URLSET), "https://city.example.gov/sitemap-2024.xml.gz")
    assert len(gz.entries) == 3


def test_entities_are_not_expanded_and_external_entities_not_loaded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    bomb = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY x SYSTEM "file://{secret}">]>
<rss><channel><item><title>&b;&x;</title><link>https://x.org/news/1.html</link></item>
</channel></rss>""".encode()
    entries = parse_feed(bomb, "https://x.org/feed")
    assert len(entries) <= 1
    for entry in entries:
        assert "TOP-SECRET" not in (entry.title or "")
        assert "aaaaaaaaaa" * 10 not in (entry.title or "")


def test_garbage_is_empty_not_an_error() -> None:
    assert parse_feed(b"<html><body>not a feed", "https://x.org/") == []
    assert parse_feed(b"", "https://x.org/") == []
    assert parse_sitemap(b"\x1f\x8bnot gzip", "https://x.org/s.xml").entries == ()


def test_a_feed_broken_by_an_entity_keeps_every_item_and_says_where() -> None:
    body = RSS.replace(b"Mayor opens library", b"Mayor opens &nbsp; library")
    read = read_feed(body, "https://city.example.gov/feed.xml")
    whole = parse_feed(RSS, "https://city.example.gov/feed.xml")
    assert [e.url for e in read.entries] == [e.url for e in whole] and len(whole) == 2
    assert read.error is not None and "Entity 'nbsp' not defined" in read.error
    assert "line 4" in read.error and "0 items read before the break, 2 in all" in read.error


def test_a_feed_cut_short_keeps_the_complete_items_and_counts_them() -> None:
    cut = RSS[: RSS.index(b"<dc:date>")]  # inside the second item
    read = read_feed(cut, "https://city.example.gov/feed.xml")
    assert [e.title for e in read.entries] == ["Mayor opens library"]
    assert read.error is not None
    assert "1 items read before the break, 1 in all; the one it broke inside is left out" in (
        read.error
    )
    assert read_feed(RSS, "https://city.example.gov/feed.xml").error is None


def test_a_sitemap_cut_short_keeps_the_entries_before_the_break() -> None:
    cut = URLSET[: URLSET.index(b"budget.html")]  # inside the second <url>
    read = read_sitemap(cut, "https://city.example.gov/sitemap.xml")
    assert [e.url for e in read.page.entries] == [
        "https://city.example.gov/news/2024/03/01/library"
    ]
    assert read.error is not None and "1 entries read before the break" in read.error
    gz = read_sitemap(gzip.compress(cut), "https://city.example.gov/sitemap.xml.gz")
    assert gz.page.entries == read.page.entries and gz.error == read.error


@pytest.mark.parametrize(
    "url",
    [
        "https://city.example.gov/",
        "https://city.example.gov/contact-us",
        "https://city.example.gov/about/",
        "https://city.example.gov/news/",
        "https://city.example.gov/news/index.html",
        "https://city.example.gov/tag/parks/",
        "https://city.example.gov/news/page/3",
        "https://city.example.gov/files/report.pdf",
        "http://www.city.gov.cn/lxwm/",
    ],
)
def test_non_article_urls_rejected_with_reason(url: str) -> None:
    assert not looks_like_article_url(url)
    assert article_url_rejection(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://city.example.gov/news/2024/03/01/library",
        "https://city.example.gov/news/budget-approved-for-next-year",
        "https://city.example.gov/mayor-opens-new-library-branch",
        "http://www.city.gov.cn/zwgk/tzgg/202403/t20240301_1001.html",
        "https://city.example.gov/news.aspx?id=1234",
    ],
)
def test_article_urls_accepted(url: str) -> None:
    assert looks_like_article_url(url), article_url_rejection(url)


_xmlish = st.lists(
    st.sampled_from(
        ["<rss>", "<item>", "<link>", "http://x.org/a", "</link>", "<entry>", "<urlset>", "<url>",
         "<loc>", "</loc>", "<lastmod>", "2024-13-40", "</item>", "&amp;", "&x;", "<!DOCTYPE a [",
         "]>", "\x1f\x8b", "<?xml?>", "<sitemapindex>", "<sitemap>", "ü", "\x00", "]]>"]
    ),
    max_size=20,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), _xmlish.map(str.encode)))
def test_parsers_never_raise_on_junk(body: bytes) -> None:
    parse_feed(body, "https://x.org/feed")
    parse_sitemap(body, "https://x.org/sitemap.xml")
