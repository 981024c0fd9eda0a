"""Which date becomes ``published_at`` when a page offers several: the rules a user relies on."""

from __future__ import annotations

from pressroom.extractors import extract_article

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


def _ld(published: str, modified: str) -> str:
    return (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council adopts'
        f' budget", "datePublished": "{published}", "dateModified": "{modified}"}}</script>'
    )


def _day(page: bytes) -> str | None:
    record = extract_article(page, URL)
    return record.published_at.date().isoformat() if record.published_at else None


def test_disagreeing_metadata_the_visible_article_date_picks_the_one_shown() -> None:
    page = _page(scripts=_ld("2021-11-29T14:13:37+00:00", "2022-01-12T14:27:30+00:00"),
                 body='<p class="date">12.01.2022</p>')  # fmt: skip
    record = extract_article(page, URL)
    assert record.published_at is not None
    assert record.published_at.date().isoformat() == "2022-01-12"
    assert record.rules["published_at"] == "class:date+meta"


def test_a_visible_published_date_and_a_later_meta_modified_date_keeps_the_published_one() -> None:
    head = (
        '<meta property="article:published_time" content="2023-03-01T09:00:00+01:00">'
        '<meta property="article:modified_time" content="2023-03-10T12:00:00+01:00">'
    )
    assert _day(_page(head=head, body="<p>Published: 1 March 2023</p>")) == "2023-03-01"


def test_a_visible_updated_date_never_replaces_the_published_metadata() -> None:
    scripts = _ld("2023-03-01T09:00:00+01:00", "2023-03-10T12:00:00+01:00")
    for body in (
        "<p>Last updated: 10 March 2023</p>",
        '<time class="LastUpdatedDateTime" datetime="2023-03-10T12:00:00+01:00">10 March</time>',
    ):
        assert _day(_page(scripts=scripts, body=body)) == "2023-03-01"


def test_a_visible_date_alone_never_overrides_agreeing_metadata() -> None:
    scripts = _ld("2023-03-01T09:00:00+01:00", "2023-03-01T12:00:00+01:00")
    assert _day(_page(scripts=scripts, body='<p class="date">5 March 2023</p>')) == "2023-03-01"


def test_the_published_moment_shown_in_another_zone_is_not_another_date() -> None:
    scripts = _ld("2023-11-09T04:15:00Z", "2023-11-08T09:00:00Z")
    body = '<p class="date">November 8, 2023, 11:15 PM</p>'  # 04:15 UTC written in US Eastern
    assert _day(_page(scripts=scripts, body=body)) == "2023-11-09"


def test_a_visible_time_of_day_must_match_the_metadata_it_picks() -> None:
    scripts = _ld("2020-01-13T18:54:00+01:00", "2020-01-14T09:13:22+01:00")
    body = '<time datetime="2020-01-14T12:17:07+01:00">14.01.2020 12:17</time>'
    assert _day(_page(scripts=scripts, body=body)) == "2020-01-13"


def test_a_time_marked_published_and_updated_still_counts_as_the_visible_date() -> None:
    scripts = _ld("2023-03-01T09:00:00+01:00", "2023-03-10T12:00:00+01:00")
    body = '<time class="entry-date published updated" datetime="2023-03-10">10 March</time>'
    record = extract_article(_page(scripts=scripts, body=body), URL)
    assert record.published_at is not None
    assert record.published_at.date().isoformat() == "2023-03-10"
    assert record.rules["published_at"] == "time+meta"
