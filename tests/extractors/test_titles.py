"""Title and author rules on small hand-written pages."""

from __future__ import annotations

from pressroom.extractors import extract_article

URL = "https://news.example.org/2024/05/item.html"
BODY = "<p>" + "The council approved the new budget after a long debate on Tuesday. " * 6 + "</p>"


def _page(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body>{body}{BODY}</body></html>".encode()


def test_a_short_heading_sharing_no_word_with_the_title_is_furniture() -> None:
    page = _page(
        "<title>Council Approves Budget For Next Year</title>",
        "<header><h1>Morning Bulletin</h1></header><article>" + BODY + "</article>",
    )
    record = extract_article(page, URL)
    assert record.title == "Council Approves Budget For Next Year"
    assert record.rules["title"] == "title-tag"


def test_a_short_heading_that_shares_a_word_with_the_title_stays() -> None:
    page = _page("<title>Budget approved - City Times</title>", "<h1>Budget day</h1>")
    assert extract_article(page, URL).title == "Budget day"


def test_json_ld_headline_that_the_title_and_heading_contradict_loses() -> None:
    ld = '{"@type": "NewsArticle", "headline": "Regional listing page"}'
    page = _page(
        "<title>Council approves the budget - City Times</title>"
        f'<script type="application/ld+json">{ld}</script>',
        "<h1>Council approves the budget</h1>",
    )
    record = extract_article(page, URL)
    assert record.title == "Council approves the budget"
    assert record.rules["title"] == "heading:h1"


def test_json_ld_headline_sharing_words_with_the_heading_is_kept() -> None:
    ld = '{"@type": "NewsArticle", "headline": "Council approves the 2025 budget"}'
    page = _page(
        "<title>Council approves the budget - City Times</title>"
        f'<script type="application/ld+json">{ld}</script>',
        "<h1>Council approves the budget</h1>",
    )
    assert extract_article(page, URL).title == "Council approves the 2025 budget"


def test_after_a_furniture_h1_only_a_heading_the_title_repeats_is_the_headline() -> None:
    page = _page(
        "<title>Storm Closes Schools Across The County</title>",
        "<h1>Information Desk</h1><h2>Storm Closes Schools Across The County</h2>",
    )
    assert extract_article(page, URL).title == "Storm Closes Schools Across The County"
    page = _page(
        "<title>Storm Closes Schools Across The County</title>",
        "<h1>Information Desk</h1><article><h2>Photos</h2>" + BODY + "</article>",
    )
    assert extract_article(page, URL).title == "Storm Closes Schools Across The County"


def test_a_site_name_meta_holding_the_page_title_is_not_a_site_name() -> None:
    page = _page(
        "<title>Storm Closes Schools Across The County For Two Days - Daily Star</title>"
        '<meta name="apple-mobile-web-app-title"'
        ' content="Storm Closes Schools Across The County For Two Days">',
        "<h1>Weekend Edition</h1>",
    )
    assert extract_article(page, URL).title == "Storm Closes Schools Across The County For Two Days"


def test_a_short_h1_under_a_title_that_names_a_section_is_the_headline() -> None:
    # CivicPlus-style: every page's <title> is "News Flash • City • CMS"; the h1 is the article's
    page = _page(
        "<title>News Flash • Springfield, IL • CivicEngage</title>",
        "<div id='moduleContent'><h1>Road Closure Notice</h1>" + BODY + "</div>",
    )
    assert extract_article(page, URL).title == "Road Closure Notice"


def test_a_detail_heading_under_a_section_h1_is_the_headline() -> None:
    # the furniture rule is for an h1 (a logo); the h3 nearest the body is the article's own
    page = _page(
        "<title>Riverside County Government Center</title>",
        "<div id='content'><h1>Press Releases</h1><h3>Holiday Hours</h3>" + BODY + "</div>",
    )
    assert extract_article(page, URL).title == "Holiday Hours"


def test_json_ld_wrapped_in_cdata_is_read() -> None:
    # XHTML-era pages (MediaWiki among them) wrap the JSON-LD in <![CDATA[ ... ]]>
    ld = (
        '{"@type": "NewsArticle", "headline": "Council approves the budget",'
        ' "author": {"@type": "Organization", "name": "Office of the Mayor"},'
        ' "datePublished": "2024-05-02T09:30:00-04:00"}'
    )
    for wrapped in (f"<![CDATA[\n{ld}\n]]>", f"//<![CDATA[\n{ld}\n//]]>"):
        page = _page(
            f'<title>Budget news</title><script type="application/ld+json">{wrapped}</script>', ""
        )
        record = extract_article(page, URL)
        assert record.author == "Office of the Mayor", wrapped
        assert record.rules["author"] == "json-ld"
        assert record.published_at is not None and record.published_at.isoformat() == (
            "2024-05-02T09:30:00-04:00"
        )


def test_a_meta_property_naming_several_properties_answers_each() -> None:
    page = _page(
        '<title>Budget news</title><meta property="dc:creator twitter:creator" content="Ann Lee">',
        "",
    )
    record = extract_article(page, URL)
    assert record.author == "Ann Lee"
    assert record.rules["author"] == "meta:dc:creator"


def test_an_h1_that_only_links_to_the_front_page_is_the_site_not_the_headline() -> None:
    # a theme's logo h1; the article's own heading is an h2 the <title> repeats
    for href in ("/", "../index.html", "https://news.example.org/"):
        page = _page(
            "<title>Council approves the budget | Code | Nicolas</title>",
            f'<header><h1><a href="{href}">Hi, I am <strong>Nicolas.</strong></a></h1></header>'
            "<article><h2><a href='/2024/05/item.html'>Council approves the budget</a></h2>"
            + BODY
            + "</article>",
        )
        assert extract_article(page, URL).title == "Council approves the budget", href


def test_an_h1_linking_to_the_page_itself_stays_the_headline() -> None:
    page = _page(
        "<title>Budget day - City Times</title>",
        '<h1><a href="/2024/05/item.html">Budget day</a></h1>',
    )
    assert extract_article(page, URL).title == "Budget day"


def test_a_permalink_mark_after_a_heading_is_not_title_text() -> None:
    page = _page(
        "<title>Evolve: Shared Mutable History — evolve extension for Mercurial</title>",
        '<div class="body"><h1>Evolve: Shared Mutable History'
        '<a class="headerlink" href="#evolve">¶</a></h1>' + BODY + "</div>",
    )
    assert extract_article(page, URL).title == "Evolve: Shared Mutable History"


def test_the_json_ld_name_that_the_heading_repeats_beats_a_descriptive_headline() -> None:
    ld = (
        '{"@type": "Article", "name": "Hermitian matrix",'
        ' "headline": "matrix equal to its conjugate-transpose"}'
    )
    page = _page(
        f'<title>Hermitian matrix - Wikipedia</title><script type="application/ld+json">{ld}'
        "</script>",
        "<h1>Hermitian matrix</h1>",
    )
    assert extract_article(page, URL).title == "Hermitian matrix"
