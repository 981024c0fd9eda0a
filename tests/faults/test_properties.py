"""Property-based checks the existing suites lack (issue 7).

``tests/crawler/test_urls.py`` already proves ``normalize_url`` never crashes and is idempotent,
and ``tests/extractors/test_dates.py`` that ``parse_date`` never crashes and round-trips the
formats it prints. Missing there: normalising a date twice equals normalising it once (a parsed
date, printed in ISO form and parsed again, is the same moment), and the article identity built
on the normaliser (``article_id``) never crashes and is the same for every spelling of a URL
that normalises alike.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.extractors.dates import parse_date
from pressroom.extractors.urls import article_id, normalize_url

_dateish = st.one_of(
    st.text(max_size=80),
    st.builds(
        "{} {}".format,
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
        st.sampled_from(["", "+08:00", "Z", "UTC", "PM", "GMT-5"]),
    ),
    st.from_regex(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}( \d{1,2}:\d{2})?", fullmatch=True),
)


@settings(max_examples=400, deadline=None)
@given(_dateish, st.sampled_from(["DMY", "MDY", "YMD"]), st.sampled_from(["UTC", "Asia/Shanghai"]))
def test_parsing_a_parsed_date_again_changes_nothing(text: str, order: str, zone: str) -> None:
    once = parse_date(text, timezone=zone, date_order=order)  # type: ignore[arg-type]
    if once is None:
        return
    twice = parse_date(once.isoformat(), timezone=zone, date_order=order)  # type: ignore[arg-type]
    assert twice == once


_url = st.builds(
    "{}://{}{}{}".format,
    st.sampled_from(["http", "HTTP", "https"]),
    st.sampled_from(["city.example.gov", "CITY.example.gov", "city.example.gov:80"]),
    st.text(alphabet=st.sampled_from([*"/aZ09-._~%?=&#;ü"]), max_size=40),
    st.sampled_from(["", "?utm_source=x", "#top", "index.html"]),
)


@settings(max_examples=400, deadline=None)
@given(_url)
def test_article_id_never_crashes_and_follows_the_normaliser(url: str) -> None:
    normal = normalize_url(url)
    assert article_id("city", url) == article_id("city", normal) == article_id("city", normal)
