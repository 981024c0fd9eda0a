"""Date forms, time zones and orders; never a crash, never an invented date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.extractors.dates import (
    date_from_url,
    in_page_offset,
    page_date_order,
    parse_date,
    to_utc_iso,
)

SH = "Asia/Shanghai"


def utc(text: str, tz: str = SH, order: str = "MDY") -> str | None:
    return to_utc_iso(parse_date(text, timezone=tz, date_order=order))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-15 16:34", "2023-03-15T08:34:00+00:00"),
        ("2023-03-15 16:34:05", "2023-03-15T08:34:05+00:00"),
        ("2023-03-15", "2023-03-14T16:00:00+00:00"),
        ("2023/3/5", "2023-03-04T16:00:00+00:00"),
        ("2023-03-15T16:34:00+08:00", "2023-03-15T08:34:00+00:00"),
        ("2023-03-15T08:34:00Z", "2023-03-15T08:34:00+00:00"),
        ("2023-03-15T08:34:00.123-05:00", "2023-03-15T13:34:00+00:00"),
        ("2023-03-15 16:34:05 +0800", "2023-03-15T08:34:05+00:00"),
        ("发布时间：2023年03月15日 16:34", "2023-03-15T08:34:00+00:00"),
        ("2023年3月15日16时34分", "2023-03-15T08:34:00+00:00"),
        ("2023年3月15日", "2023-03-14T16:00:00+00:00"),
        ("Posted on: March 15, 2023", "2023-03-14T16:00:00+00:00"),
        ("Wednesday, March 15, 2023 at 4:34 p.m.", "2023-03-15T08:34:00+00:00"),
        ("Sept. 5th, 2023", "2023-09-04T16:00:00+00:00"),
        ("15 March 2023", "2023-03-14T16:00:00+00:00"),
        ("15th of March, 2023 16:34", "2023-03-15T08:34:00+00:00"),
        ("Wed, 15 Mar 2023 08:34:00 GMT", "2023-03-15T08:34:00+00:00"),
        ("15.03.2023", "2023-03-14T16:00:00+00:00"),
        ("15.03.2023 16:34", "2023-03-15T08:34:00+00:00"),
        ("15/03/2023", "2023-03-14T16:00:00+00:00"),
        ("03/15/2023 4:34 PM", "2023-03-15T08:34:00+00:00"),
    ],
)
def test_forms(text: str, expected: str) -> None:
    assert utc(text) == expected


def test_ambiguous_numeric_dates_follow_the_source_order() -> None:
    assert utc("04/03/2023", "UTC", "DMY") == "2023-03-04T00:00:00+00:00"
    assert utc("04/03/2023", "UTC", "MDY") == "2023-04-03T00:00:00+00:00"
    assert utc("04-03-2023", "UTC", "DMY") == "2023-03-04T00:00:00+00:00"


def test_a_part_above_twelve_decides_on_its_own() -> None:
    assert utc("25/03/2023", "UTC", "MDY") == "2023-03-25T00:00:00+00:00"
    assert utc("03/25/2023", "UTC", "DMY") == "2023-03-25T00:00:00+00:00"


def test_timezone_applies_only_without_offset() -> None:
    local = parse_date("2023-03-15 16:34", timezone="Europe/London", date_order="DMY")
    assert local is not None and local.utcoffset() == timedelta(0)
    summer = parse_date("2023-07-01 12:00", timezone="Europe/London", date_order="DMY")
    assert summer == datetime(2023, 7, 1, 11, 0, tzinfo=UTC)
    given_offset = parse_date("2023-07-01T12:00:00-04:00", timezone=SH, date_order="YMD")
    assert given_offset is not None
    assert given_offset.utcoffset() == -timedelta(hours=4)
    assert given_offset.tzinfo == timezone(-timedelta(hours=4))


def test_date_without_time_is_local_midnight() -> None:
    value = parse_date("March 15, 2023", timezone="America/Chicago", date_order="MDY")
    assert value is not None and (value.hour, value.minute) == (0, 0)
    assert value.utcoffset() == -timedelta(hours=5)


@pytest.mark.parametrize(
    "text",
    ["", "no date here", "2023", "Room 2023-B", "31/02/2023", "2023-13-01", "March 2023",
     "2023-02-30 10:00", "99/99/2023", "Tel: 0571-5550188", "1/2/3", "v1.2.3"],
)  # fmt: skip
def test_never_invents(text: str) -> None:
    assert parse_date(text, timezone=SH, date_order="MDY") is None


def test_first_date_in_text_wins() -> None:
    text = "Published: 2 March 2023. Updated: 9 March 2023"
    assert utc(text, "UTC") == "2023-03-02T00:00:00+00:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.x.gov.cn/xwdt/202303/t20230315_1234567.html", "2023-03-14T16:00:00+00:00"),
        ("https://city.example.gov/news/2023/03/15/slug/", "2023-03-14T16:00:00+00:00"),
        ("https://city.example.gov/news/2023-03-15-slug", "2023-03-14T16:00:00+00:00"),
        ("https://city.example.gov/art/2023/3/5/art_1.html", "2023-03-04T16:00:00+00:00"),
        ("https://city.example.gov/news/2023/03/slug/", None),
        ("https://city.example.gov/CivicAlerts.aspx?AID=20230315", None),
        ("https://city.example.gov/doc/12345678.html", None),
    ],
)
def test_url_dates(url: str, expected: str | None) -> None:
    assert to_utc_iso(date_from_url(url, timezone=SH)) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["DMY", "MDY", "YMD"]))
def test_never_crashes_on_arbitrary_text(text: str, order: str) -> None:
    value = parse_date(text, timezone="America/New_York", date_order=order)  # type: ignore[arg-type]
    assert value is None or value.tzinfo is not None


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)),
    st.sampled_from(["%Y-%m-%d %H:%M", "%Y年%m月%d日 %H:%M", "%B %d, %Y %H:%M", "%d %B %Y %H:%M",
                     "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]),
)  # fmt: skip
def test_round_trip(moment: datetime, fmt: str) -> None:
    text = moment.strftime(fmt)
    value = parse_date(f"Date: {text} |", timezone="UTC", date_order="DMY")
    expected = moment.replace(second=moment.second if "%S" in fmt else 0, microsecond=0)
    assert value == expected.replace(tzinfo=UTC)


def test_in_page_offset_gives_a_utc_value_the_offset_the_page_uses_for_the_same_instant() -> None:
    value = datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC)
    html = '<script>var d = {"publish": "2023-11-08T22:28:35-05:00"};</script>'
    local = in_page_offset(value, html)
    assert local == value  # the same instant...
    assert local.utcoffset() == timedelta(hours=-5)
    assert local.date().isoformat() == "2023-11-08"  # ...on the page's own calendar day


def test_in_page_offset_keeps_the_value_without_a_twin_or_with_an_offset() -> None:
    value = datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC)
    other = '<time datetime="2023-11-08T21:00:00-05:00">'  # another instant
    assert in_page_offset(value, other).utcoffset() == timedelta(0)
    given = datetime(2023, 11, 9, 3, 28, tzinfo=timezone(timedelta(hours=1)))
    assert in_page_offset(given, '"2023-11-08T21:28:00-05:00"') is given


@pytest.mark.parametrize(
    ("lang", "order", "expected"),
    [
        ("en-GB", "MDY", "DMY"),
        ("de", "MDY", "DMY"),
        ("en", "MDY", "MDY"),
        ("en-US", "MDY", "MDY"),
        (None, "MDY", "MDY"),
        ("en-GB", "YMD", "YMD"),
    ],
)
def test_page_date_order_reads_day_first_locales(lang, order, expected) -> None:
    assert page_date_order(lang, order) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [("15 августа 2016, 13:43", "2016-08-15"), ("26 | 01 | 2022", "2022-01-26")],
)
def test_parse_date_russian_months_and_piped_numbers(text, day) -> None:
    value = parse_date(text, timezone="UTC", date_order="DMY")
    assert value is not None and value.date().isoformat() == day


def test_in_page_offset_reads_an_rfc_2822_twin() -> None:
    """Regression: a UTC datePublished beside meta date "Sat, 19 Oct 2019 00:04:00 +0200"."""
    value = datetime(2019, 10, 18, 22, 4, tzinfo=UTC)
    html = '<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">'
    assert in_page_offset(value, html).date().isoformat() == "2019-10-19"
