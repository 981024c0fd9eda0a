"""The demo newsroom over real HTTP: pagination, conditional requests, hooks, feeds, config."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from pressroom.config import load_config
from pressroom.demo import SEED_PATH, DemoNewsroom, cityhall, write_demo_config

SEED_TITLE = 'The High-tech Zone opened "double engine" and drove to "new track"'
SHARED_SEED = Path(__file__).resolve().parents[3] / "shared/seed/high-tech-zone-double-engine.txt"
#: where each family lists its article links, and where an article's body is
LISTING_LINKS = {"hightech": "ul.news-list li > a", "cityhall": "div.newsItem h3 > a"}
BODY = {"hightech": "div.TRS_Editor", "cityhall": "div.detailContent"}


@pytest.fixture(scope="module")
def newsroom() -> Iterator[DemoNewsroom]:
    with DemoNewsroom() as served:
        yield served


@pytest.fixture
def fresh() -> Iterator[DemoNewsroom]:
    """A newsroom of its own, for tests that change the content."""
    with DemoNewsroom() as served:
        yield served


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, follow_redirects=False) as c:
        yield c


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl_listings(client: httpx.Client, start: str, family: str) -> tuple[list[str], list[str]]:
    """Follow every pager link from ``start``; (listing URLs visited, article paths seen)."""
    queue, seen_pages, articles = [start], [start], []
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        assert response.status_code == 200, url
        soup = BeautifulSoup(response.text, "lxml")
        articles += [path_of(urljoin(url, a["href"])) for a in soup.select(LISTING_LINKS[family])]
        for link in soup.select("div.page a, div.pager a"):
            target = urljoin(url, link["href"])
            if target not in seen_pages:
                seen_pages.append(target)
                queue.append(target)
    return seen_pages, articles


def body_paragraphs(html: str, family: str) -> list[str]:
    body = BeautifulSoup(html, "lxml").select_one(BODY[family])
    assert body is not None
    out = []
    for node in body.find_all(["p", "li", "tr"]):
        if node.name == "tr":
            out.append(" | ".join(c.get_text(strip=True) for c in node.find_all(["th", "td"])))
        else:
            out.append(node.get_text())
    return out


@pytest.mark.parametrize("family", ["hightech", "cityhall"])
def test_pagination_reaches_every_article_exactly_once(newsroom, client, family):
    pages, seen = crawl_listings(client, newsroom.start_urls(family)[0], family)
    truth = [a.path for a in newsroom.articles(family)]
    assert len(truth) >= 32
    assert Counter(seen) == Counter(truth)
    assert seen == truth  # newest first, in listing order
    assert pages == newsroom.listing_urls(family)


@pytest.mark.parametrize("family", ["hightech", "cityhall"])
def test_every_article_page_renders_its_ground_truth(newsroom, client, family):
    for article in newsroom.articles(family):
        response = client.get(newsroom.url(family, article))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert article.title in BeautifulSoup(response.text, "lxml").get_text()
        assert body_paragraphs(response.text, family) == list(article.paragraphs)


def test_seed_article_is_served_verbatim(newsroom, client):
    seed = newsroom.article("hightech", SEED_PATH)
    assert seed.title == SEED_TITLE
    assert seed.published.astimezone(UTC) == datetime(2023, 3, 15, 8, 34, tzinfo=UTC)
    assert seed.author == "Li Ming"
    assert seed.origin == "High-tech Zone Management Committee"
    if SHARED_SEED.exists():
        blocks = SHARED_SEED.read_text(encoding="utf-8").split("\n")[2:]
        assert list(seed.paragraphs) == [b for b in blocks if b.strip()]
    assert len(seed.paragraphs) == 3

    html = client.get(newsroom.url("hightech", SEED_PATH)).text
    soup = BeautifulSoup(html, "lxml")
    assert soup.find("meta", attrs={"name": "PubDate"})["content"] == "2023-03-15 16:34"
    assert soup.find("meta", attrs={"name": "ArticleTitle"})["content"] == SEED_TITLE
    assert soup.title.get_text() == f"{SEED_TITLE} - Xining High-tech Zone"
    assert [p.get_text() for p in soup.select("div.TRS_Editor p")] == list(seed.paragraphs)
    text = soup.get_text(" ")
    for boilerplate in ("Date: 2023-03-15 16:34", "Editor: Li Ming", "ICP No. 12345678", "Print"):
        assert boilerplate in text
    assert " ".join(soup.select_one("span.fontsize").get_text().split()) == "【Large Medium Small】"
    assert soup.select("div.side-box li span")  # Related News with dates


def test_cityhall_article_boilerplate(newsroom, client):
    article = newsroom.article("cityhall", -1)  # oldest
    soup = BeautifulSoup(client.get(newsroom.url("cityhall", article)).text, "lxml")
    assert soup.title.get_text() == "News Flash • Springfield, IL • CivicEngage"
    assert soup.h1.get_text() == "News Flash"
    assert soup.select_one("div.date").get_text() == "Posted on: January 10, 2022"
    text = soup.get_text(" ")
    for boilerplate in ("Other News in City News", "Government Websites by CivicPlus®", "Next"):
        assert boilerplate in text


@pytest.mark.parametrize("family", ["hightech", "cityhall"])
def test_conditional_requests_get_304_without_body(newsroom, client, family):
    for url in (newsroom.start_urls(family)[0], newsroom.url(family, 3)):
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etag
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        old = "Sat, 01 Jan 2000 00:00:00 GMT"
        assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
        stale = client.get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": modified})
        assert stale.status_code == 200  # If-None-Match wins


def test_etags_are_stable_across_restarts(newsroom, client):
    paths = {
        "hightech": [SEED_PATH, "/en/news/index_2.html", "/sitemap.xml"],
        "cityhall": [newsroom.article("cityhall", 5).path, cityhall.FEED_PATH],
    }
    with DemoNewsroom() as other:
        for family, family_paths in paths.items():
            for path in family_paths:
                mine = client.get(newsroom.base_url(family) + path).headers["etag"]
                assert client.get(other.base_url(family) + path).headers["etag"] == mine


def test_update_article_changes_content_etag_and_last_modified(fresh, client):
    url = fresh.url("hightech", SEED_PATH)
    before = client.get(url)
    fixed = fresh.update_article("hightech", SEED_PATH, paragraphs=["Corrected.", "Second."])
    assert fixed.paragraphs == ("Corrected.", "Second.")
    after = client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert body_paragraphs(after.text, "hightech") == ["Corrected.", "Second."]
    since = client.get(url, headers={"If-Modified-Since": before.headers["last-modified"]})
    assert since.status_code == 200
    assert fresh.article("hightech", SEED_PATH).paragraphs == ("Corrected.", "Second.")


@pytest.mark.parametrize("family", ["hightech", "cityhall"])
def test_add_article_tops_the_listing(fresh, client, family):
    count = len(fresh.articles(family))
    listing = client.get(fresh.start_urls(family)[0])
    added = fresh.add_article(family, title="Brand new notice", paragraphs=["One.", "Two."])
    assert fresh.articles(family)[0] == added and len(fresh.articles(family)) == count + 1
    assert added.published > fresh.articles(family)[1].published
    again = client.get(
        fresh.start_urls(family)[0], headers={"If-None-Match": listing.headers["etag"]}
    )
    assert again.status_code == 200
    first = BeautifulSoup(again.text, "lxml").select_one(LISTING_LINKS[family])
    assert path_of(urljoin(str(again.url), first["href"])) == added.path
    page = client.get(fresh.url(family, added))
    assert body_paragraphs(page.text, family) == ["One.", "Two."]


def test_request_log_latency_and_failures(fresh, client):
    fresh.clear_requests()
    url = fresh.start_urls("cityhall")[0]
    client.get(url, headers={"User-Agent": "pressroom-test"})
    [record] = fresh.requests("cityhall")
    assert (record.method, record.path, record.status) == ("GET", "/CivicAlerts.aspx?CID=1", 200)
    assert record.headers["user-agent"] == "pressroom-test"
    assert fresh.requests("hightech") == []

    fresh.set_latency(0.2, "cityhall")
    assert client.get(url).elapsed.total_seconds() >= 0.2
    fresh.set_latency(0, "cityhall")

    fresh.fail("cityhall", "/CivicAlerts.aspx?CID=1", status=429, times=2, retry_after=3)
    for _ in range(2):
        refused = client.get(url)
        assert (refused.status_code, refused.headers["retry-after"]) == (429, "3")
    assert client.get(url).status_code == 200
    fresh.clear_requests()
    assert fresh.requests() == []


def test_robots_redirects_and_errors(newsroom, client):
    for family in ("hightech", "cityhall"):
        robots = client.get(newsroom.base_url(family) + "/robots.txt")
        assert robots.status_code == 200 and "Disallow: /admin/" in robots.text
        assert client.get(newsroom.base_url(family) + "/admin/").status_code == 403
        assert client.get(newsroom.base_url(family) + "/no/such/page").status_code == 404
    home = client.get(newsroom.base_url("hightech") + "/")
    assert (home.status_code, home.headers["location"]) == (301, "/en/index.html")
    assert client.get(newsroom.base_url("hightech") + "/en/news/index_9.html").status_code == 404
    head = client.head(newsroom.url("hightech", 0))
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"]


def test_cityhall_feed_has_newest_twenty(newsroom, client):
    response = client.get(newsroom.feed_url("cityhall"))
    assert response.headers["content-type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    assert [path_of(i.findtext("link")) for i in items] == [
        a.path for a in newsroom.articles("cityhall")[:20]
    ]
    assert items[0].findtext("pubDate").endswith("-0600")


def test_hightech_sitemap_lists_every_article(newsroom, client):
    response = client.get(newsroom.sitemap_url("hightech"))
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(response.content).findall("sm:url/sm:loc", ns)]
    article_paths = {a.path for a in newsroom.articles("hightech")}
    assert article_paths <= {path_of(u) for u in locs}
    assert "/sitemap.xml" in client.get(newsroom.base_url("hightech") + "/robots.txt").text


def test_images_and_attachments_are_served(newsroom, client):
    articles = newsroom.articles("hightech")
    with_image = next(a for a in articles if a.image)
    with_pdf = next(a for a in articles if a.attachment)
    page = BeautifulSoup(client.get(newsroom.url("hightech", with_image)).text, "lxml")
    src = urljoin(newsroom.url("hightech", with_image), page.select_one("figure img")["src"])
    assert client.get(src).content.startswith(b"\x89PNG")
    page = BeautifulSoup(client.get(newsroom.url("hightech", with_pdf)).text, "lxml")
    href = urljoin(newsroom.url("hightech", with_pdf), page.select_one("div.attachment a")["href"])
    assert client.get(href).content.startswith(b"%PDF")


def test_write_demo_config_is_valid_and_has_no_selectors(newsroom, tmp_path):
    path = write_demo_config(tmp_path / "pressroom.toml", newsroom, tmp_path / "demo.duckdb")
    config = load_config(path)
    assert config.warehouse_path == (tmp_path / "demo.duckdb").resolve()
    by_id = {s.id: s for s in config.sources}
    assert by_id["hightech"].timezone == "Asia/Shanghai"
    assert by_id["hightech"].sitemap_url == newsroom.sitemap_url("hightech")
    assert by_id["cityhall"].feed_url == newsroom.feed_url("cityhall")
    assert by_id["cityhall"].language == "en-US"
    assert by_id["cityhall"].start_urls == tuple(newsroom.start_urls("cityhall"))
    assert "selector" not in path.read_text()


def test_fixed_ports_are_reused_when_free(newsroom):
    taken = int(newsroom.base_url("hightech").rsplit(":", 1)[1])
    with DemoNewsroom(["hightech"]) as first:
        port = int(first.base_url("hightech").rsplit(":", 1)[1])
    with DemoNewsroom(["hightech"], ports={"hightech": port}) as again:
        assert again.base_url("hightech").endswith(f":{port}")
    with DemoNewsroom(["hightech"], ports={"hightech": taken}) as fallback:
        assert not fallback.base_url("hightech").endswith(f":{taken}")


def test_server_is_quiet(capfd, client):
    with DemoNewsroom(["cityhall"]) as quiet:
        client.get(quiet.start_urls("cityhall")[0])
        client.get(quiet.base_url("cityhall") + "/missing")
    assert capfd.readouterr() == ("", "")
