"""Loading staged batches: upserts, versions, last_seen_at, pages, errors, runs rows."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from pressroom.core.articles import Attachment, Image
from pressroom.core.runs import FetchErrorRecord, PageRecord, SourceRecord
from pressroom.warehouse import load_pending, pending_batches, search, stage_batch
from tests.warehouse.wh_helpers import T0, article, load, rows, run, seen

SNAPSHOT = [
    "SELECT * FROM articles ORDER BY article_id",
    "SELECT * FROM article_versions ORDER BY article_id, version",
    "SELECT * FROM article_paragraphs ORDER BY article_id, position",
]


def snapshot(wh: Path) -> list[list[dict]]:
    return [rows(wh, sql) for sql in SNAPSHOT]


def test_first_load_inserts_articles_paragraphs_and_versions(wh: Path, staging: Path) -> None:
    report = load(wh, staging, articles=[article(1), article(2)])
    assert report.loaded == 1 and report.pending == 0 and report.ok
    assert report.counts_for("run-1") == {
        "articles_new": 2,
        "articles_updated": 0,
        "articles_unchanged": 0,
        "lost_fields": 0,
    }
    assert rows(
        wh,
        "SELECT article_id, title, body_text, first_seen_at, last_seen_at, run_id"
        " FROM articles ORDER BY 1",
    ) == [
        {
            "article_id": "city-1",
            "title": "Article 1",
            "body_text": "First 1.\n\nSecond.",
            "first_seen_at": T0,
            "last_seen_at": T0,
            "run_id": "run-1",
        },
        {
            "article_id": "city-2",
            "title": "Article 2",
            "body_text": "First 2.\n\nSecond.",
            "first_seen_at": T0,
            "last_seen_at": T0,
            "run_id": "run-1",
        },
    ]
    assert rows(
        wh,
        "SELECT position, text, run_id FROM article_paragraphs"
        " WHERE article_id = 'city-1' ORDER BY position",
    ) == [
        {"position": 1, "text": "First 1.", "run_id": "run-1"},
        {"position": 2, "text": "Second.", "run_id": "run-1"},
    ]
    assert rows(wh, "SELECT article_id, version, run_id FROM article_versions ORDER BY 1") == [
        {"article_id": "city-1", "version": 1, "run_id": "run-1"},
        {"article_id": "city-2", "version": 1, "run_id": "run-1"},
    ]
    assert pending_batches(staging) == []


def test_same_content_twice_changes_nothing(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1), article(2)])
    before = snapshot(wh)
    report = load(wh, staging, run("run-2"), articles=[article(1), article(2)])
    assert report.counts_for("run-2") == {
        "articles_new": 0,
        "articles_updated": 0,
        "articles_unchanged": 2,
        "lost_fields": 0,
    }
    assert snapshot(wh) == before


def test_a_batch_seen_again_after_loading_is_skipped(wh: Path, staging: Path) -> None:
    batch = stage_batch(staging, run=run(), articles=[article(1)])
    copy = staging.parent / "copy"
    shutil.copytree(batch, copy)
    load_pending(wh, staging)
    before = snapshot(wh)
    shutil.copytree(copy, batch)  # as if the loader died between COMMIT and removing the dir
    report = load_pending(wh, staging)
    assert (report.loaded, report.skipped) == (0, [batch.name])
    assert snapshot(wh) == before
    assert pending_batches(staging) == []


def test_duplicate_articles_in_one_batch_last_wins(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="old"), article(1, title="new")])
    assert rows(wh, "SELECT title FROM articles") == [{"title": "new"}]


def test_changed_content_makes_a_new_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1)])
    later = T0 + timedelta(days=1)
    corrected = article(1, paragraphs=["Corrected."], fetched_at=later)
    report = load(wh, staging, run("run-2"), articles=[corrected])
    assert report.counts_for("run-2")["articles_updated"] == 1
    assert rows(wh, "SELECT body_text, first_seen_at, last_seen_at, run_id FROM articles") == [
        {"body_text": "Corrected.", "first_seen_at": T0, "last_seen_at": later, "run_id": "run-2"},
    ]
    assert rows(wh, "SELECT version, body_text, run_id FROM article_versions ORDER BY 1") == [
        {"version": 1, "body_text": "First 1.\n\nSecond.", "run_id": "run-1"},
        {"version": 2, "body_text": "Corrected.", "run_id": "run-2"},
    ]
    assert rows(wh, "SELECT position, text FROM article_paragraphs") == [
        {"position": 1, "text": "Corrected."},
    ]


def test_the_search_index_keeps_one_document_per_article(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="a"), article(1, title="b"), article(2)])
    later = T0 + timedelta(days=1)
    load(wh, staging, run("run-2"), articles=[article(1, paragraphs=["Fixed."], fetched_at=later)])
    load(wh, staging, run("run-3"), articles=[article(1, paragraphs=["Again."], fetched_at=later)])
    load(wh, staging, run("run-4"), articles=[article(1, paragraphs=["Again."], fetched_at=later)])
    assert sorted(h.article_id for h in search(wh, "article", limit=50)) == ["city-1", "city-2"]
    assert [h.article_id for h in search(wh, "first", limit=50)] == ["city-2"]
    assert [h.article_id for h in search(wh, "again", limit=50)] == ["city-1"]
    assert search(wh, "fixed") == []
    assert len(rows(wh, "SELECT article_id FROM articles")) == 2


def test_unchanged_only_moves_last_seen_at(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1), article(2)])
    before = snapshot(wh)
    later = T0 + timedelta(hours=6)
    report = load(
        wh,
        staging,
        run("run-2"),
        articles=[article(2, fetched_at=later)],
        unchanged=[seen("city", 1, later)],
    )
    assert report.counts_for("run-2")["articles_unchanged"] == 2
    assert rows(
        wh, "SELECT article_id, first_seen_at, last_seen_at, run_id FROM articles ORDER BY 1"
    ) == [
        {"article_id": "city-1", "first_seen_at": T0, "last_seen_at": later, "run_id": "run-1"},
        {"article_id": "city-2", "first_seen_at": T0, "last_seen_at": later, "run_id": "run-1"},
    ]
    after = snapshot(wh)
    for row in after[0]:
        row["last_seen_at"] = T0
    assert after == before


def test_a_run_that_finds_nothing_new_writes_only_last_seen_and_its_run(
    wh: Path, staging: Path
) -> None:
    load(wh, staging, articles=[article(1)])
    before = snapshot(wh)
    later = T0 + timedelta(hours=6)
    load(
        wh,
        staging,
        run("run-2", status="completed", not_modified=1),
        unchanged=[seen("city", 1, later)],
    )
    assert snapshot(wh)[1:] == before[1:]
    assert rows(
        wh, "SELECT run_id, status, not_modified, articles_unchanged FROM runs ORDER BY 1"
    ) == [
        {"run_id": "run-1", "status": "running", "not_modified": 0, "articles_unchanged": 0},
        {"run_id": "run-2", "status": "completed", "not_modified": 1, "articles_unchanged": 1},
    ]


def test_runs_row_accumulates_counts_over_batches(wh: Path, staging: Path) -> None:
    stage_batch(staging, run=run(listing_pages=1), articles=[article(1)])
    stage_batch(staging, run=run(listing_pages=2), articles=[article(2), article(1)])
    finished = T0 + timedelta(minutes=5)
    stage_batch(
        staging,
        run=run(
            listing_pages=2,
            status="completed",
            finished_at=finished,
            parameters={"since": "2024-01-01"},
        ),
    )
    report = load_pending(wh, staging)
    assert report.loaded == 3
    assert rows(
        wh,
        "SELECT run_id, flow, mode, source_id, parameters, started_at, finished_at,"
        " status, listing_pages, articles_new, articles_unchanged FROM runs",
    ) == [
        {
            "run_id": "run-1",
            "flow": "ingest",
            "mode": "scheduled",
            "source_id": "city",
            "parameters": '{"since": "2024-01-01"}',
            "started_at": T0,
            "finished_at": finished,
            "status": "completed",
            "listing_pages": 2,
            "articles_new": 2,
            "articles_unchanged": 1,
        },
    ]


def test_images_attachments_and_extra_fields(wh: Path, staging: Path) -> None:
    item = article(
        1,
        lede="In short.",
        canonical_url="https://city.example/n/1",
        images=(Image("https://city.example/a.jpg", alt="A", caption="Cap"),),
        attachments=(Attachment("https://city.example/f.pdf", "Form"),),
        warnings=("no author",),
        rules={"title": "json-ld"},
    )
    load(wh, staging, articles=[item])
    assert rows(wh, "SELECT lede, canonical_url, warnings, extraction_rules FROM articles") == [
        {
            "lede": "In short.",
            "canonical_url": "https://city.example/n/1",
            "warnings": ["no author"],
            "extraction_rules": '{"title": "json-ld"}',
        },
    ]
    assert rows(wh, "SELECT position, src, alt, caption FROM article_images") == [
        {"position": 1, "src": "https://city.example/a.jpg", "alt": "A", "caption": "Cap"},
    ]
    assert rows(wh, "SELECT position, url, text FROM article_attachments") == [
        {"position": 1, "url": "https://city.example/f.pdf", "text": "Form"},
    ]


def test_pages_keep_validators_across_304(wh: Path, staging: Path) -> None:
    url = "https://city.example/news/1"
    first = PageRecord("city", url, None, 200, '"v1"', "Fri, 01 Mar 2024", T0, "k1", "city-1")
    load(wh, staging, pages=[first])
    later = T0 + timedelta(days=1)
    load(wh, staging, run("run-2"), pages=[PageRecord("city", url, None, 304, None, None, later)])
    assert rows(
        wh,
        "SELECT status, etag, last_modified, fetched_at, archive_key, article_id,"
        " run_id FROM pages",
    ) == [
        {
            "status": 304,
            "etag": '"v1"',
            "last_modified": "Fri, 01 Mar 2024",
            "fetched_at": later,
            "archive_key": "k1",
            "article_id": "city-1",
            "run_id": "run-2",
        },
    ]


def test_fetch_errors_and_sources(wh: Path, staging: Path) -> None:
    err = FetchErrorRecord(
        "city", "https://city.example/x", "article", 503, "HTTP 503", 4, "run-1", T0
    )
    load(
        wh,
        staging,
        articles=[article(1)],
        errors=[err],
        sources=[SourceRecord("city", "City Hall", "America/Chicago", "en", ("https://c/",))],
    )
    assert rows(
        wh,
        "SELECT source_id, url, stage, status, reason, attempts, run_id,"
        " occurred_at FROM fetch_errors",
    ) == [
        {
            "source_id": "city",
            "url": "https://city.example/x",
            "stage": "article",
            "status": 503,
            "reason": "HTTP 503",
            "attempts": 4,
            "run_id": "run-1",
            "occurred_at": T0,
        },
    ]
    assert rows(wh, "SELECT source_id, name, timezone, start_urls FROM sources") == [
        {
            "source_id": "city",
            "name": "City Hall",
            "timezone": "America/Chicago",
            "start_urls": ["https://c/"],
        },
    ]
    assert rows(wh, "SELECT source_name FROM latest_articles") == [{"source_name": "City Hall"}]


def test_a_corrupt_batch_is_quarantined_and_the_rest_wait(wh: Path, staging: Path) -> None:
    bad = stage_batch(staging, run=run(), articles=[article(1)])
    good = stage_batch(staging, run=run(), articles=[article(2)])
    (bad / "articles.parquet").write_bytes(b"not parquet")
    report = load_pending(wh, staging)
    assert list(report.failed) == [bad.name] and report.loaded == 0
    assert report.pending == 1 and not report.ok
    assert (staging / "_failed" / bad.name).is_dir()
    again = load_pending(wh, staging)
    assert again.loaded == 1 and again.ok
    assert rows(wh, "SELECT article_id FROM articles") == [{"article_id": "city-2"}]
    assert pending_batches(staging) == [] and good.name in again.batches
