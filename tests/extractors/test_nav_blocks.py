"""``<nav>`` blocks leave before the parse (for speed): they never gave the article's fields or
body, and the page around them stays whole."""

from __future__ import annotations

from pressroom.extractors import extract_article

URL = "https://city.example.gov/news/2024/05/budget.html"
PROSE = "The council approved the new budget after a long debate on Tuesday evening. " * 5
MENU = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(40))


def _page(nav: str, main: str) -> bytes:
    return (
        "<html><head><title>Council approves the budget - City of Example</title></head>"
        f"<body>{nav}{main}</body></html>"
    ).encode()


def test_a_menu_in_nav_gives_no_date_byline_or_heading() -> None:
    nav = (
        f"<nav><h2>Latest: Pool opens</h2><span class='byline'>By Web Team</span>"
        f"<time datetime='2019-01-01'>1 January 2019</time><ul>{MENU}</ul></nav>"
    )
    main = (
        "<article><h1>Council approves the budget</h1><time datetime='2024-05-02'>"
        f"May 2, 2024</time><p>{PROSE}</p></article>"
    )
    record = extract_article(_page(nav, main), URL)
    assert record.title == "Council approves the budget"
    assert record.published_at is not None and record.published_at.date().isoformat() == (
        "2024-05-02"
    )
    assert record.author is None
    assert "Section 3" not in "\n".join(record.paragraphs)


def test_a_nav_inside_a_nav_does_not_cut_the_page() -> None:
    nav = f"<nav><ul>{MENU}</ul><nav class='sub'><a href='/x'>x</a></nav><a href='/y'>y</a></nav>"
    main = f"<article><h1>Council approves the budget</h1><p>{PROSE}</p></article>"
    record = extract_article(_page(nav, main), URL)
    assert "long debate" in "\n".join(record.paragraphs)
