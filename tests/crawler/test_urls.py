"""URL identity: normalization, canonical following, same-site checks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.extractors.urls import article_id, identity_url, normalize_url, same_site


def test_case_port_fragment_and_empty_path() -> None:
    assert normalize_url("HTTP://News.Example.GOV:80#top") == "http://news.example.gov/"
    assert normalize_url("https://x.org:443/a") == "https://x.org/a"
    assert normalize_url("https://x.org:8443/a") == "https://x.org:8443/a"


def test_tracking_params_removed_and_rest_sorted() -> None:
    url = "https://x.org/n?utm_source=fb&b=2&fbclid=abc&a=1&gclid=z&spm=a.b.c&utm_medium=social"
    assert normalize_url(url) == "https://x.org/n?a=1&b=2"


def test_directory_aliases_collapse() -> None:
    for alias in ("index.html", "index.htm", "default.aspx", "INDEX.SHTML", "index.php"):
        assert normalize_url(f"https://x.org/news/{alias}") == "https://x.org/news/"
    assert normalize_url("https://x.org/news/index_1.html") == "https://x.org/news/index_1.html"


def test_relative_and_dot_segments() -> None:
    assert normalize_url("../b/./c.html", base="https://x.org/a/d/") == "https://x.org/a/b/c.html"
    assert normalize_url("https://x.org/a/../../b") == "https://x.org/b"


def test_non_ascii_path_is_encoded_once() -> None:
    once = normalize_url("http://www.gov.cn/新闻/2024 年.html")
    assert once == "http://www.gov.cn/%E6%96%B0%E9%97%BB/2024%20%E5%B9%B4.html"
    assert normalize_url(once) == once


def test_non_http_urls_left_alone_but_fragment_dropped() -> None:
    assert normalize_url("mailto:press@x.org") == "mailto:press@x.org"
    assert normalize_url("javascript:void(0)#x") == "javascript:void(0)"


def test_article_id_stable_across_spellings() -> None:
    a = article_id("city", "https://x.org/news/1.html?utm_campaign=z")
    b = article_id("city", "HTTPS://X.ORG:443/news/1.html#top")
    assert a == b and len(a) == 16 and int(a, 16) >= 0
    assert article_id("other", "https://x.org/news/1.html") != a


def test_identity_follows_same_site_canonical_only() -> None:
    hosts = {"x.org"}
    page = "https://x.org/news/1.html?from=home"
    assert identity_url(page, "/news/1.html", hosts) == "https://x.org/news/1.html"
    assert identity_url(page, "https://www.x.org/n/1", hosts) == "https://www.x.org/n/1"
    assert identity_url(page, "https://aggregator.com/1", hosts) == normalize_url(page)
    assert identity_url(page, None, hosts) == normalize_url(page)
    assert identity_url(page, "  ", hosts) == normalize_url(page)


def test_same_site() -> None:
    assert same_site("https://WWW.x.org/a", {"x.org"})
    assert same_site("http://x.org/a", {"www.x.org"})
    assert not same_site("https://evil.org/x.org", {"x.org"})
    assert not same_site("ftp://x.org/a", {"x.org"})
    assert not same_site("not a url", {"x.org"})


_url_chars = st.sampled_from([*"aZ09-._~:/?#[]@!$&'()*+,;=% \tü新", "%2F", "%zz", "utm_"])
_urlish = st.builds(
    lambda scheme, host, rest: f"{scheme}{host}{rest}",
    st.sampled_from(["http://", "HTTPS://", "ftp://", "", "//", "http:/"]),
    st.text(alphabet=st.sampled_from([*"aB1.-:[]@ü"]), max_size=12),
    st.lists(_url_chars, max_size=30).map("".join),
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(max_size=60), _urlish), st.one_of(st.none(), _urlish))
def test_normalize_never_crashes_and_is_idempotent(url: str, base: str | None) -> None:
    once = normalize_url(url, base=base)
    assert isinstance(once, str)
    assert normalize_url(once) == once
