"""Declared selectors override the generic result per field; a miss falls back with a warning."""

from __future__ import annotations

import pytest

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors import extract_article

URL = "https://www.example.gov/news/item-42"
PAGE = b"""<html lang="en"><head><title>Generic Title | Example City</title>
<meta property="og:site_name" content="Example City">
<meta property="article:published_time" content="2023-03-15T10:00:00Z"></head>
<body><nav><a href="/">Home</a></nav>
<div class="story"><h1>Generic Title</h1>
<div class="when">Issued 20/04/2023</div>
<div class="who">Press office: Jane Roe</div>
<div class="text"><p>First paragraph of the story, long enough to count as body text here.</p>
<p>Second paragraph of the story, also long enough to be counted as text.</p></div>
<div class="extra"><p>A declared extra block that the density rule would leave out.</p></div>
<p class="from">Source: Parks Department</p>
</div></body></html>"""


def extract(**selectors: str) -> object:
    profile = ExtractionProfile(timezone="Europe/London", date_order="DMY", **selectors)
    return extract_article(PAGE, URL, profile=profile)


def test_generic_without_selectors() -> None:
    record = extract()
    assert record.title == "Generic Title"
    assert record.rules["published_at"] == "meta:article:published_time"
    assert record.origin == "Parks Department"
    assert record.warnings == ()


def test_each_selector_overrides_its_field() -> None:
    record = extract(
        title_selector=".who",
        date_selector=".when",
        body_selector=".extra",
        author_selector=".who",
        origin_selector=".from",
    )
    assert record.title == "Press office: Jane Roe"
    assert record.published_at is not None and record.published_at.isoformat().startswith(
        "2023-04-20T00:00:00+01:00"
    )
    assert record.paragraphs == ("A declared extra block that the density rule would leave out.",)
    assert record.author == "Jane Roe"
    assert record.origin == "Parks Department"
    for field in ("title", "published_at", "paragraphs", "author", "origin"):
        assert record.rules[field] == "selector", field
    assert record.warnings == ()


@pytest.mark.parametrize(
    ("selector", "field", "rule"),
    [("title_selector", "title", "heading:h1"), ("date_selector", "published_at",
      "meta:article:published_time"), ("body_selector", "paragraphs", "density")],
)  # fmt: skip
def test_a_selector_that_matches_nothing_falls_back_with_a_warning(
    selector: str, field: str, rule: str
) -> None:
    record = extract(**{selector: ".does-not-exist"})
    assert record.rules[field] == rule
    assert any(selector in w and "matched nothing" in w for w in record.warnings)


def test_site_module_selectors_and_unknown_module() -> None:
    page = (
        '<html><head><meta name="ArticleTitle" content="标题一"><meta name="PubDate" '
        'content="2023-03-15 16:34"><meta name="ContentSource" content="某某局"></head><body>'
        '<div id="zoom"><div class="TRS_Editor"><p>正文第一段。</p></div></div></body></html>'
    ).encode()
    record = extract_article(
        page, URL, profile=ExtractionProfile(timezone="Asia/Shanghai", site_module="trs_govcn")
    )
    assert (record.title, record.origin, record.paragraphs) == (
        "标题一",
        "某某局",
        ("正文第一段。",),
    )
    assert record.rules["paragraphs"] == "site:trs_govcn"
    unknown = extract_article(page, URL, profile=ExtractionProfile(site_module="nope"))
    assert any("unknown site module" in w for w in unknown.warnings)


def test_a_date_selector_without_a_date_says_so() -> None:
    record = extract(date_selector=".who")
    assert record.rules["published_at"] == "meta:article:published_time"
    assert any("matched no usable date" in w for w in record.warnings)
