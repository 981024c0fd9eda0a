"""Issue 12: good data is never replaced by worse (a redesign, a broken selector, an error page).

An article extracted again without a field the stored one has keeps its stored row, paragraphs,
versions and search document; the extraction is recorded as a fetch_errors row, counted in
``runs.lost_fields``, and many of them make the run degraded. Corrections still version.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from pressroom.core.runs import PageRecord
from pressroom.warehouse import load_pending, search, stage_batch
from tests.warehouse.wh_helpers import T0, article, load, rows, run

LATER = T0 + timedelta(days=1)
STORED = {"author": "Jane Roe", "origin": "Office of the Mayor"}
KEPT = [
    "SELECT * EXCLUDE (last_seen_at) FROM articles ORDER BY article_id",
    "SELECT * FROM article_versions ORDER BY article_id, version",
    "SELECT * FROM article_paragraphs ORDER BY article_id, position",
]
LONG_BODY = [f"Paragraph {n} of the budget release, with the figures." for n in range(8)]


def kept(wh: Path) -> list[list[dict[str, Any]]]:
    return [rows(wh, sql) for sql in KEPT]


def good(n: int = 1, **kw: Any) -> Any:
    return article(n, paragraphs=kw.pop("paragraphs", LONG_BODY), **{**STORED, **kw})


def errors(wh: Path) -> list[dict[str, Any]]:
    return rows(wh, "SELECT url, stage, status, reason, run_id FROM fetch_errors ORDER BY url")


LOSSES = {
    "published_at": {"published_at": None},
    "title": {"title": ""},
    "body": {"paragraphs": []},
    "author": {"author": None},
    "origin": {"origin": "  "},
}


@pytest.mark.parametrize("field", list(LOSSES))
def test_each_lost_field_keeps_the_stored_article(wh: Path, staging: Path, field: str) -> None:
    load(wh, staging, articles=[good()])
    before = kept(wh)
    report = load(wh, staging, run("run-2"), articles=[good(fetched_at=LATER, **LOSSES[field])])
    assert report.counts_for("run-2")["lost_fields"] == 1
    assert report.counts_for("run-2")["articles_updated"] == 0
    assert kept(wh) == before
    assert rows(wh, "SELECT last_seen_at FROM articles") == [{"last_seen_at": LATER}]
    ((error,),) = [[e["reason"] for e in errors(wh)]]
    assert error.startswith(f"extraction lost fields: {field}")
    assert error.endswith("; stored values kept")


def test_a_collapsed_body_is_lost_and_the_reason_gives_its_size(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good()])
    before = kept(wh)
    stored = len("\n\n".join(LONG_BODY))
    load(wh, staging, run("run-2"), articles=[good(paragraphs=["Page not found."])])
    assert kept(wh) == before
    assert errors(wh) == [
        {
            "url": "https://city.example/news/1",
            "stage": "extract",
            "status": None,
            "reason": f"extraction lost fields: body (15 of {stored} characters);"
            " stored values kept",
            "run_id": "run-2",
        }
    ]


def test_search_still_finds_the_stored_body(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good(paragraphs=["The council approved the harbour budget."])])
    load(wh, staging, run("run-2"), articles=[good(paragraphs=[])])
    assert [h.article_id for h in search(wh, "harbour")] == ["city-1"]
    assert [h.article_id for h in search(wh, "harbour", since=T0 - timedelta(days=2))] == ["city-1"]


def test_several_lost_fields_are_named_and_the_page_row_is_kept(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good()])
    url = "https://city.example/news/1"
    page = PageRecord("city", url, None, 200, '"v2"', None, LATER, "k2", "city-1")
    load(
        wh,
        staging,
        run("run-2"),
        articles=[good(published_at=None, author=None, fetched_at=LATER)],
        pages=[page],
    )
    assert [(e["status"], e["reason"]) for e in errors(wh)] == [
        (200, "extraction lost fields: published_at, author; stored values kept")
    ]
    # the new page is archived and indexed, so that reparse can read it again later
    assert rows(wh, "SELECT etag, archive_key FROM pages") == [
        {"etag": '"v2"', "archive_key": "k2"}
    ]


def test_a_correction_with_every_field_present_is_a_new_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good()])
    moved = T0 - timedelta(days=30)
    report = load(wh, staging, run("run-2"), articles=[good(published_at=moved, title="Fixed")])
    assert report.counts_for("run-2") == {
        "articles_new": 0,
        "articles_updated": 1,
        "articles_unchanged": 0,
        "lost_fields": 0,
    }
    assert rows(wh, "SELECT version, title, published_at FROM article_versions ORDER BY 1") == [
        {"version": 1, "title": "Article 1", "published_at": T0 - timedelta(days=1)},
        {"version": 2, "title": "Fixed", "published_at": moved},
    ]
    assert errors(wh) == []


def test_a_field_absent_before_and_present_now_is_an_update(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, published_at=None)])
    load(wh, staging, run("run-2"), articles=[article(1, author="Jane Roe")])
    assert rows(wh, "SELECT published_at, author FROM articles") == [
        {"published_at": T0 - timedelta(days=1), "author": "Jane Roe"}
    ]
    assert rows(wh, "SELECT count(*) AS n FROM article_versions") == [{"n": 2}]


@pytest.mark.parametrize(
    "body",
    [LONG_BODY[:3], ["Corrected: it opens Monday.", "Second."], [" ".join(LONG_BODY[:3])]],
    ids=["a-third", "two-short-paragraphs", "one-paragraph-over-a-quarter"],
)
def test_a_shorter_body_is_a_correction(wh: Path, staging: Path, body: list[str]) -> None:
    load(wh, staging, articles=[good()])
    report = load(wh, staging, run("run-2"), articles=[good(paragraphs=body)])
    assert report.counts_for("run-2")["articles_updated"] == 1


def test_a_good_batch_staged_before_a_degraded_one_wins(wh: Path, staging: Path) -> None:
    stage_batch(staging, run=run(), articles=[good()])
    stage_batch(staging, run=run("run-2"), articles=[good(published_at=None, fetched_at=LATER)])
    load_pending(wh, staging)
    assert rows(wh, "SELECT published_at, run_id FROM articles") == [
        {"published_at": T0 - timedelta(days=1), "run_id": "run-1"}
    ]
    assert rows(wh, "SELECT run_id, lost_fields FROM runs ORDER BY 1") == [
        {"run_id": "run-1", "lost_fields": 0},
        {"run_id": "run-2", "lost_fields": 1},
    ]


def test_a_repaired_extraction_is_unchanged_or_a_new_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good(1), good(2)])
    load(wh, staging, run("run-2"), articles=[good(1, published_at=None), good(2, title="")])
    fixed = good(2, paragraphs=[*LONG_BODY, "A correction."])
    report = load(wh, staging, run("run-3", mode="reparse"), articles=[good(1), fixed])
    assert report.counts_for("run-3") == {
        "articles_new": 0,
        "articles_updated": 1,
        "articles_unchanged": 1,
        "lost_fields": 0,
    }
    assert rows(wh, "SELECT article_id, version, run_id FROM article_versions ORDER BY 1, 2") == [
        {"article_id": "city-1", "version": 1, "run_id": "run-1"},
        {"article_id": "city-2", "version": 1, "run_id": "run-1"},
        {"article_id": "city-2", "version": 2, "run_id": "run-3"},
    ]


def test_many_lost_fields_make_the_run_degraded(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good(n) for n in range(1, 7)])
    redesigned = [good(n, published_at=None) for n in range(1, 7)]
    load(wh, staging, run("run-2", status="completed"), articles=redesigned)
    ((row,),) = [rows(wh, "SELECT status, lost_fields, notes FROM runs WHERE run_id = 'run-2'")]
    assert (row["status"], row["lost_fields"]) == ("degraded", 6)
    assert row["notes"].startswith("city: 6 of 6 known articles seen again were extracted")
    assert rows(wh, "SELECT count(*) AS n FROM articles WHERE published_at IS NULL") == [{"n": 0}]
    assert rows(wh, "SELECT sum(articles)::INT AS n FROM daily_counts") == [{"n": 6}]


def test_one_lost_article_among_many_is_not_an_alarm(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good(n) for n in range(1, 7)])
    seen_again = [good(n) for n in range(2, 7)] + [good(1, published_at=None)]
    load(wh, staging, run("run-2", status="completed", notes="note"), articles=seen_again)
    assert rows(wh, "SELECT status, lost_fields, notes FROM runs WHERE run_id = 'run-2'") == [
        {"status": "completed", "lost_fields": 1, "notes": "note"}
    ]


def test_the_alarm_counts_the_run_over_its_batches(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[good(n) for n in range(1, 7)])
    stage_batch(staging, run=run("run-2"), articles=[good(n, author=None) for n in (1, 2, 3)])
    stage_batch(staging, run=run("run-2"), articles=[good(n, author=None) for n in (4, 5)])
    stage_batch(staging, run=run("run-2", status="completed"), articles=[good(6)])
    load_pending(wh, staging)
    assert rows(
        wh, "SELECT status, lost_fields, articles_unchanged FROM runs WHERE run_id = 'run-2'"
    ) == [{"status": "degraded", "lost_fields": 5, "articles_unchanged": 1}]
