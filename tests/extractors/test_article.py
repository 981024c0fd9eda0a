"""extract_article's contract: what raises, what warns, what never crashes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pressroom.core.articles import ExtractionProfile
from pressroom.core.errors import ExtractionError
from pressroom.extractors import extract_article
from pressroom.extractors.inspect import check_article

URL = "https://www.example.gov/news/item-42"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extraction"


def test_not_html_raises() -> None:
    with pytest.raises(ExtractionError):
        extract_article(b"%PDF-1.7\n1 0 obj", URL)
    with pytest.raises(ExtractionError):
        extract_article(b"\x89PNG\r\n\x1a\n\x00\x00", URL)


def test_html_without_article_returns_empty_body_with_warning() -> None:
    record = extract_article(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", URL)
    assert record.paragraphs == ()
    tried = "density, second-choice, json-ld, page-state, paragraph-run"
    assert f"no article body found (tried: {tried})" in record.warnings
    assert "no publication date found" in record.warnings


def test_pages_nested_thousands_deep_do_not_crash() -> None:
    text = "A paragraph deep inside unclosed tags, long enough, with commas, to count."
    for opening in ("<div>", "<font>"):
        page = f"<html><body>{opening * 5000}<p>{text}</p></body></html>".encode()
        assert extract_article(page, URL).paragraphs == (text,)


def test_check_article_reports_every_field_with_its_rule() -> None:
    page = (
        b'<html lang="en"><head><title>Park reopens | City</title></head><body>'
        b"<h1>Park reopens</h1><p>Posted on: March 15, 2023</p><div class='text'>"
        b"<p>The park reopens on Saturday after a long renovation, with new paths.</p></div>"
        b"</body></html>"
    )
    report = check_article(page, URL, profile=ExtractionProfile(timezone="America/Chicago"))
    rows = {row.name: row for row in report.fields}
    assert rows["title"].value == "Park reopens" and rows["title"].rule == "heading:h1"
    assert rows["published_at"].rule == "label:posted on"
    assert rows["published_at"].value == "2023-03-15T00:00:00-05:00"
    assert rows["paragraphs"].value is not None and rows["paragraphs"].value.startswith("1 para")
    assert rows["author"].value is None and rows["author"].rule is None
    assert report.warnings == ()


def test_xml_served_as_html_parses_without_warnings() -> None:
    page = (
        b'<?xml version="1.0" encoding="utf-8"?><page><p>A short notice about the library, '
        b"long enough to be a paragraph, with commas, and more.</p></page>"
    )
    record = extract_article(page, URL)  # pytest turns BeautifulSoup's warning into an error
    assert record.paragraphs


def test_a_meeting_time_in_a_notice_is_body_text_not_the_publication_date() -> None:
    page = """<html><head><title>关于召开防汛工作会议的通知</title></head><body>
    <h1>关于召开防汛工作会议的通知</h1>
    <div class="content"><p>各乡镇：经研究，决定召开全县防汛工作会议，现将有关事项通知如下。</p>
    <p>一、会议时间：2023年5月15日上午9时</p><p>二、会议地点：县政府三楼会议室</p></div>
    <div class="info">发布时间：2023-05-10 09:00　来源：县水利局</div></body></html>"""
    record = extract_article(
        page.encode(), URL, profile=ExtractionProfile(timezone="Asia/Shanghai", date_order="YMD")
    )
    assert record.published_at is not None and record.published_at.day == 10
    assert record.rules["published_at"] == "label:发布时间"
    assert "一、会议时间：2023年5月15日上午9时" in record.paragraphs
    assert record.origin == "县水利局"


def test_centred_caption_after_a_linked_image_is_a_caption_not_body() -> None:
    page = b"""<html><body><div class="TRS_Editor">
    <p>First paragraph of the article, long enough, with commas, and more.</p>
    <p style="text-align:center"><a href="/big.jpg"><img src="/pic.jpg" alt="pic"></a></p>
    <p style="text-align:center">The mayor cuts the ribbon</p>
    <p>Second paragraph of the article, long enough, with commas, and more text.</p>
    </div></body></html>"""
    record = extract_article(page, "http://www.example.gov.cn/a.html")
    assert [(i.src, i.caption) for i in record.images] == [
        ("http://www.example.gov.cn/pic.jpg", "The mayor cuts the ribbon")
    ]
    assert "The mayor cuts the ribbon" not in record.paragraphs
    assert len(record.paragraphs) == 2


@pytest.mark.parametrize(
    "line",
    ["###", "- 30 -", "FOR IMMEDIATE RELEASE", "扫一扫在手机打开当前页", "【我要纠错】",
     "【字体：大 中 小】", "Print Feedback Share & Bookmark", "京ICP备12345678号-1",
     "责任编辑：李晓明", "Posted on: March 15, 2023", "Copyright © 2023 City of Springfield"],
)  # fmt: skip
def test_press_release_and_portal_furniture_lines_are_not_body(line: str) -> None:
    text = "The council approved the budget on Tuesday, with a vote of five to two."
    page = f"<html><body><div class='text'><p>{text}</p><p>{line}</p></div></body></html>"
    assert extract_article(page.encode(), URL).paragraphs == (text,)


def test_utc_json_ld_date_takes_the_pages_own_offset_for_its_calendar_day() -> None:
    """htmldate-eval misses such as nypost/denverpost: datePublished in UTC is the next day."""
    page = (FIXTURES / "utc_jsonld_local_twin.html").read_bytes()
    record = extract_article(page, URL)
    assert record.rules["published_at"] == "json-ld"
    assert record.published_at is not None
    assert record.published_at.isoformat() == "2023-11-08T22:28:35-05:00"
    assert record.updated_at is not None and record.updated_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("key", "chrome"),
    [("position", True), ("site-position", True), ("location-bar", True),
     ("mosaic-position-leftmost", False), ("grid-position-third", False)],
)  # fmt: skip
def test_position_tokens_flag_breadcrumbs_not_grid_cells(key, chrome) -> None:
    """Regression: gay.ch's mosaic-position-* grid cells hid the whole article as chrome."""
    from pressroom.extractors.boilerplate import CHROME, key_flag

    assert (key_flag(key) == CHROME) is chrome


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Posted November 8, 2023 10:28 pm", ""),
        ("Posted on September 21, 2020 by Adi Tzlil", "Adi Tzlil"),
        ("von Newsdesk 28. Januar 2022, 12:01", "Newsdesk"),
        ("Jeff Foust Monday, November 18, 2019", "Jeff Foust"),
        ("Madeline Fry | November 18, 2019 12:01 PM Print this article", "Madeline Fry"),
        ("By Jane Doe", "Jane Doe"),
    ],
)
def test_byline_name_drops_the_date(text, name) -> None:
    """Regression: bylines holding dates gave authors like "Posted November 8, 2023 10:28 pm"."""
    from pressroom.extractors.labels import byline_name

    assert byline_name(text) == name
