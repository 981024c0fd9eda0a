"""The body cascade (extractors/cascade.py): each fallback step on a small hand-written page."""

from __future__ import annotations

import json

from pressroom.extractors import extract_article
from pressroom.extractors.page_state import state_paragraphs

URL = "https://www.example.gov/news/item-7"
PARAS = [
    "The city council approved the new library budget on Tuesday, after a long hearing.",
    "Construction of the east wing begins in May, and the reading room reopens in autumn.",
    "Residents can follow the work, and send questions, at the library's front desk.",
]
SHELL = """<html><head><title>Library budget approved</title>{head}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<h1>Library budget approved</h1>{body}<footer>City of Example</footer></body></html>"""


def page(body: str = "", head: str = "") -> bytes:
    return SHELL.format(head=head, body=body).encode()


def test_a_body_found_only_in_next_data_comes_from_page_state() -> None:
    state = {"props": {"pageProps": {"story": {"blocks": [
        {"type": "paragraph", "text": text} for text in PARAS
    ], "related": [{"title": "Pool opens"}, {"title": "Road works"}]}}}}  # fmt: skip
    script = f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    record = extract_article(page('<div id="__next"></div>' + script), URL)
    assert record.paragraphs == tuple(PARAS)
    assert record.rules["paragraphs"] == "page-state"


def test_html_in_a_window_state_object_is_split_into_paragraphs() -> None:
    html = "".join(f"<p>{text}</p>" for text in PARAS)
    script = f"<script>window.__INITIAL_STATE__ = {json.dumps({'article': {'body': html}})};"
    record = extract_article(page('<div id="app"></div>' + script + "</script>"), URL)
    assert record.paragraphs == tuple(PARAS)
    assert record.rules["paragraphs"] == "page-state"


def test_a_body_found_only_in_json_ld_comes_from_json_ld() -> None:
    ld = {"@type": "NewsArticle", "headline": "Library budget approved",
          "articleBody": "\n".join(PARAS)}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    record = extract_article(page('<div id="app"></div>', head), URL)
    assert record.paragraphs == tuple(PARAS)
    assert record.rules["paragraphs"] == "json-ld"


def test_a_short_json_ld_teaser_is_not_a_body() -> None:
    ld = {"@type": "NewsArticle", "articleBody": "The council approved the budget."}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    record = extract_article(page('<div id="app"></div>', head), URL)
    assert record.paragraphs == ()
    assert any(w.startswith("no article body found (tried:") for w in record.warnings)


def test_paragraphs_with_furniture_like_utility_classes_come_from_the_paragraph_run() -> None:
    # "font-serif" reads as a font-size control to the furniture rules: the density container
    # loses every paragraph, and the run of paragraphs outside chrome keeps the article.
    long = [f"{text} {text}" for text in PARAS * 2]
    body = "<article><div>" + "".join(
        f'<div class="block"><p class="font-serif text-lg">{t}</p></div>' for t in long
    ) + "</div></article>"  # fmt: skip
    record = extract_article(page(body), URL)
    assert record.paragraphs == tuple(long)
    assert record.rules["paragraphs"] == "paragraph-run"


def test_a_standfirst_that_the_description_names_opens_the_body() -> None:
    lede = (
        "Most residents will pay less for water next year, after the utility board cut the base"
        " rate by four per cent on Monday."
    )
    summary = "The board also approved a plan for new water mains in the old town. " * 5
    body = (
        f'<div class="hero"><header class="article-header"><p class="standfirst">{lede}</p>'
        f"<p>{summary}</p></header></div>"
        '<div class="main-column"><div class="byline">By Ann Lee</div><div class="article-body">'
        + "".join(f"<p>{t}</p>" for t in PARAS * 4)
        + "</div></div>"
    )
    record = extract_article(page(body, f'<meta name="description" content="{lede}">'), URL)
    assert record.paragraphs == (lede, *PARAS * 4)
    assert record.rules["paragraphs"] == "density+lede"


def test_a_description_the_page_does_not_show_changes_nothing() -> None:
    body = '<div class="article-body">' + "".join(f"<p>{t}</p>" for t in PARAS * 4) + "</div>"
    head = '<meta name="description" content="' + "A summary written for search engines. " * 4
    record = extract_article(page(body, head + '">'), URL)
    assert record.paragraphs == tuple(PARAS * 4)
    assert record.rules["paragraphs"] == "density"


def test_the_density_body_is_kept_when_plausible() -> None:
    record = extract_article(
        page("<main>" + "".join(f"<p>{t}</p>" for t in PARAS) + "</main>"), URL
    )
    assert record.rules["paragraphs"] == "density"


def test_a_declared_selector_is_trusted_as_it_is() -> None:
    from pressroom.core.articles import ExtractionProfile

    body = '<div class="lede"><p>Short summary only.</p></div><main>' + "".join(
        f"<p>{t}</p>" for t in PARAS * 4
    ) + "</main>"  # fmt: skip
    record = extract_article(page(body), URL, profile=ExtractionProfile(body_selector=".lede"))
    assert record.paragraphs == ("Short summary only.",)
    assert record.rules["paragraphs"] == "selector"


def test_teaser_lists_in_page_state_are_not_a_body() -> None:
    teasers = {"items": [{"title": f"Story number {n} of the day", "url": f"/s/{n}"}
                         for n in range(30)]}  # fmt: skip
    script = f'<script type="application/json">{json.dumps(teasers)}</script>'
    assert state_paragraphs(script) == []


def test_text_blocks_cut_by_headings_give_the_whole_run() -> None:
    # two <br>-lined text blocks with a heading between: density takes one, the run both
    block = "<br>".join(PARAS)
    body = f"<article><div>{block}</div><h2>Next steps</h2><div>{block} Again.</div></article>"
    record = extract_article(page(body), URL)
    assert record.paragraphs == (*PARAS, "Next steps", *PARAS[:2], PARAS[2] + " Again.")
    assert record.rules["paragraphs"] == "paragraph-run"


def test_first_choice_problem_names_why_density_alone_fails() -> None:
    from bs4 import BeautifulSoup

    from pressroom.extractors.body import collect_paragraphs, find_container
    from pressroom.extractors.body_plausibility import first_choice_problem
    from pressroom.extractors.scan import scan_page

    article = "".join(f"<p>{text}</p>" for text in PARAS)
    for markup, expected in (
        (page(f"<article>{article}</article>"), None),
        (page('<div id="app"></div>'), "empty"),
    ):
        scan = scan_page(BeautifulSoup(markup, "lxml", multi_valued_attributes=None))
        containers = find_container(scan)
        paragraphs = collect_paragraphs(containers, scan)
        assert first_choice_problem(scan, containers, paragraphs, ld=None) == expected


STORY = (
    "The council heard {n} residents on the new bus routes, and most of them asked for a later "
    "last bus on weekdays and a stop closer to the hospital's main entrance on the east side."
)


def test_a_body_told_in_sibling_sections_of_one_class_takes_every_section() -> None:
    first = "".join(f"<p>{STORY.format(n=n)}</p>" for n in range(1, 6))
    items = [
        f'<div class="stack-item"><span class="num">1</span><div class="story">{first}</div></div>',
        '<div class="stack-item"><span class="num">2</span><div class="story">'
        f"<h3>Second hearing</h3><p>{STORY.format(n=40)}</p><p>{STORY.format(n=41)}</p>"
        "</div></div>",
    ]
    record = extract_article(page(f"<article><div>{''.join(items)}</div></article>"), URL)
    assert record.paragraphs[-2:] == (STORY.format(n=40), STORY.format(n=41))
    assert record.paragraphs[0] == STORY.format(n=1)
    assert record.rules["paragraphs"] == "paragraph-run"


def test_a_short_teaser_section_beside_the_body_stays_out() -> None:
    first = "".join(f"<p>{STORY.format(n=n)}</p>" for n in range(1, 6))
    markup = (
        f'<article><div class="section">{first}</div>'
        '<div class="section"><p>Read more about bus routes.</p></div></article>'
    )
    record = extract_article(page(markup), URL)
    assert record.paragraphs == tuple(STORY.format(n=n) for n in range(1, 6))


def test_screen_reader_only_text_clipped_to_nothing_leaves_the_body() -> None:
    hidden = (
        '<span style="border:0;clip:rect(0 0 0 0);clip-path:inset(50%);height:1px;'
        'overflow:hidden;position:absolute;width:1px">, opens new tab</span>'
    )
    markup = "".join(
        f'<p>{text} See the <a href="https://example.org/plan">plan{hidden}</a>.</p>'
        for text in PARAS
    )
    record = extract_article(page(f"<article>{markup}</article>"), URL)
    assert record.paragraphs == tuple(f"{text} See the plan." for text in PARAS)
