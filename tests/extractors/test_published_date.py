"""Which date becomes ``published_at`` when a page offers several: the rules a user relies on."""

from __future__ import annotations

from extractors import extract_article

URL = "https://www.example.org/news/item-42"
BODY = "<p>" + "The council met to discuss the budget, the parks, and the schools. " * 4 + "</p>"


def _page(head: str = "", body: str = "", scripts: str = "") -> bytes:
    return (
        f"<html><head><title>Budget</title>{head}{scripts}</head><body><article>"
        f"<h1>Council adopts budget</h1>{body}{BODY}</article></body></html>"
    ).encode()


def test_a_data_layer_publish_date_is_used_when_the_page_shows_none() -> None:
    script = '<script>dataLayer.push({"pageType": "news", "publishDate": "2022-01-25"});</script>'
    record = extract_article(_page(scripts=script), URL)
    assert record.published_at is not None
    assert record.published_at.date().isoformat() == "2022-01-25"
    assert record.rules["published_at"] == "script"


def test_a_script_updated_or_last_published_key_is_not_the_publication_date() -> None:
    script = (
        '<script>var page = {"lastUpdatedDate": "2022-02-01", "datePublishedLatest": "2022-02-02",'
        ' "updatedAt": "2022-02-03"};</script>'
    )
    record = extract_article(_page(scripts=script), URL)
    assert record.published_at is None
    assert "no publication date found" in record.warnings


def test_a_visible_date_beats_a_script_date() -> None:
    script = '<script>window.state = {"published_at": "2019-03-02T06:22:28+01:00"};</script>'
    body = '<p class="date">5 March 2019</p>'
    record = extract_article(_page(body=body, scripts=script), URL)
    assert record.published_at is not None
    assert record.published_at.date().isoformat() == "2019-03-05"
