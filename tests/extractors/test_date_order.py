"""Issue 13, item 2: the order of numeric dates comes from evidence, rung by rung, and the
decision says which evidence decided (extractors.date_order, listing rows, article pages)."""

from __future__ import annotations

from datetime import date

import pytest

from pressroom.core.articles import DateOrderEvidence, ExtractionProfile
from pressroom.extractors.article import extract_article
from pressroom.extractors.date_order import (
    decide_order,
    language_order,
    numeric_evidence,
    zone_order,
)
from pressroom.extractors.listing import parse_listing

DAY_FIRST = DateOrderEvidence(day_first=2, example="15/03/2023")
MONTH_FIRST = DateOrderEvidence(month_first=1, example="03/15/2023")


def test_configured_order_wins_over_every_other_rung() -> None:
    got = decide_order(
        configured="MDY", page=DAY_FIRST, page_lang="en-GB", timezone="Europe/London"
    )
    assert (got.order, got.rung, got.certain) == ("MDY", "config", True)


def test_an_unambiguous_date_on_the_page_beats_language_and_zone() -> None:
    got = decide_order(page=DAY_FIRST, page_lang="en-US", timezone="America/New_York")
    assert (got.order, got.rung, got.certain) == ("DMY", "page", True)
    assert "15/03/2023" in got.detail


def test_dates_seen_on_earlier_pages_of_the_source_decide_the_next_page() -> None:
    got = decide_order(learned=MONTH_FIRST, timezone="Europe/London")
    assert (got.order, got.rung, got.certain) == ("MDY", "source", True)


def test_page_and_earlier_pages_vote_together_and_a_tie_says_nothing() -> None:
    tie = DateOrderEvidence(day_first=1).merged(DateOrderEvidence(month_first=1))
    assert tie.order is None
    got = decide_order(page=DateOrderEvidence(day_first=1), learned=MONTH_FIRST, language="fr")
    assert (got.order, got.rung) == ("DMY", "language")


def test_html_lang_region_comes_before_the_source_language() -> None:
    got = decide_order(page_lang="en-AU", language="en-US", timezone="America/Chicago")
    assert (got.order, got.rung, got.certain) == ("DMY", "html-lang", False)


def test_source_language_region_when_the_page_names_none() -> None:
    got = decide_order(page_lang="en", language="en-GB", timezone="America/New_York")
    assert (got.order, got.rung, got.detail) == ("DMY", "language", "en-GB")


def test_time_zone_country_when_languages_are_bare_english() -> None:
    got = decide_order(page_lang="en", language="en", timezone="Europe/London")
    assert (got.order, got.rung, got.certain) == ("DMY", "timezone", False)
    assert got.describe() == "DMY (timezone: Europe/London)"
    us = decide_order(page_lang="en", language="en", timezone="America/New_York")
    assert (us.order, us.rung) == ("MDY", "timezone")


def test_default_when_nothing_says_anything() -> None:
    got = decide_order(language="en", timezone="UTC", default="MDY")
    assert (got.order, got.rung, got.certain) == ("MDY", "default", False)
    assert got.describe() == "MDY (default)"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en-GB", "DMY"), ("en_IE", "DMY"), ("en-NZ", "DMY"), ("en-IN", "DMY"), ("en-AU", "DMY"),
        ("fr", "DMY"), ("de-CH", "DMY"), ("es-MX", "DMY"), ("it", "DMY"), ("pt-BR", "DMY"),
        ("ru", "DMY"), ("en-US", "MDY"), ("en-PH", "MDY"), ("zh-CN", "YMD"), ("ja", "YMD"),
        ("ko-KR", "YMD"), ("en", None), ("", None), (None, None), ("x-klingon-1", None),
    ],
)  # fmt: skip
def test_language_regions(lang: str | None, expected: str | None) -> None:
    assert language_order(lang) == expected


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/London", "DMY"), ("Europe/Berlin", "DMY"), ("America/New_York", "MDY"),
        ("America/Los_Angeles", "MDY"), ("America/Indiana/Indianapolis", "MDY"),
        ("Pacific/Honolulu", "MDY"), ("America/Mexico_City", "DMY"),
        ("America/Sao_Paulo", "DMY"), ("America/Argentina/Buenos_Aires", "DMY"),
        ("Asia/Shanghai", "YMD"), ("Asia/Tokyo", "YMD"), ("Australia/Sydney", "DMY"),
        ("Pacific/Auckland", "DMY"), ("Asia/Kolkata", "DMY"), ("America/Toronto", None),
        ("UTC", None), ("Etc/UTC", None),
    ],
)  # fmt: skip
def test_time_zone_countries(zone: str, expected: str | None) -> None:
    assert zone_order(zone) == expected


def test_numeric_evidence_counts_only_unambiguous_slashed_dates() -> None:
    text = "Posted 15/03/2023 and 07/01/2023, revised 2023-03-04, agenda 13.02.2023, 03/17/2023"
    got = numeric_evidence([text])
    assert (got.day_first, got.month_first, got.example) == (1, 1, "15/03/2023")
    assert numeric_evidence(["07/01/2023 12/12/2023 32/01/2023"]) == DateOrderEvidence()


def _council_listing(days: list[str], lang: str = "en") -> str:
    rows = "".join(
        f'<li class="item"><a href="/news/notice-{n}.html">Council notice number {n} about'
        f' the bins</a> <span class="date">{day}</span></li>'
        for n, day in enumerate(days)
    )
    return f'<html lang="{lang}"><body><ul class="news">{rows}</ul></body></html>'


def test_listing_reads_by_zone_and_flags_ambiguous_rows_uncertain() -> None:
    page = parse_listing(
        _council_listing(["07/01/2023", "01/01/2023"]),
        "https://council.example.org/news/",
        timezone="Europe/London",
        language="en",
    )
    assert page.date_order is not None and page.date_order.rung == "timezone"
    first, second = page.links
    assert first.published_at is not None and first.published_at.date() == date(2023, 1, 7)
    assert first.date_uncertain  # read day-first only because of the zone
    assert second.published_at is not None and not second.date_uncertain  # 1/1 reads one way


def test_listing_rows_with_a_day_above_12_make_the_whole_page_certain() -> None:
    page = parse_listing(
        _council_listing(["07/01/2023", "25/12/2022"]),
        "https://council.example.org/news/",
        timezone="America/New_York",  # the zone would say month-first: the page overrules it
    )
    assert page.date_order is not None and page.date_order.rung == "page"
    assert page.date_evidence.day_first == 1
    assert page.links[0].published_at is not None
    assert page.links[0].published_at.date() == date(2023, 1, 7)
    assert not page.links[0].date_uncertain


def test_listing_learns_from_earlier_pages_of_the_source() -> None:
    page = parse_listing(
        _council_listing(["03/04/2023"]),
        "https://council.example.org/news/p2",
        timezone="Europe/London",
        learned=MONTH_FIRST,
    )
    assert page.date_order is not None and page.date_order.rung == "source"
    assert page.links[0].published_at is not None
    assert page.links[0].published_at.date() == date(2023, 3, 4)


def test_configured_order_on_a_listing_is_certain() -> None:
    page = parse_listing(
        _council_listing(["03/04/2023"]),
        "https://council.example.org/news/",
        timezone="Europe/London",
        date_order="MDY",
        date_order_set=True,
    )
    assert page.date_order is not None and page.date_order.rung == "config"
    assert page.links[0].published_at is not None
    assert page.links[0].published_at.date() == date(2023, 3, 4)
    assert not page.links[0].date_uncertain


ARTICLE = """<html lang="{lang}"><head><title>Leisure centre reopens</title></head><body>
<main><h1>Leisure centre reopens after roof repairs</h1>
<p class="meta">Published: {day}</p>
<div class="body"><p>The leisure centre on Mill Lane opens again on Monday after six weeks of
repairs to the pool hall roof, the council said.</p>
<p>Swimming lessons booked for the closed weeks will be moved to the spring term, and members
will get one month of free access as an apology for the disruption.</p></div></main>
</body></html>"""


def _article(day: str, lang: str = "en", **profile: object) -> tuple[date | None, str | None]:
    body = ARTICLE.format(day=day, lang=lang).encode()
    record = extract_article(
        body, "https://council.example.org/news/leisure.html", profile=ExtractionProfile(**profile)
    )
    when = record.published_at.date() if record.published_at else None
    return when, record.date_order.rung if record.date_order else None


def test_article_page_reads_by_its_source_zone_and_by_what_the_listing_taught() -> None:
    assert _article("07/01/2023", timezone="Europe/London") == (date(2023, 1, 7), "timezone")
    assert _article("07/01/2023", timezone="America/New_York") == (date(2023, 7, 1), "timezone")
    learned = _article("07/01/2023", timezone="America/New_York", date_evidence=DAY_FIRST)
    assert learned == (date(2023, 1, 7), "source")
    configured = _article(
        "07/01/2023", timezone="Europe/London", date_order="MDY", date_order_set=True
    )
    assert configured == (date(2023, 7, 1), "config")
    assert _article("07/01/2023", lang="en-GB", timezone="America/New_York") == (
        date(2023, 1, 7),
        "html-lang",
    )
