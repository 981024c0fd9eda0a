"""Issue 14: the header fields of disclosure pages (政府信息公开) in articles and article_versions.

They load, are versioned (a document declared 失效 is a new version), are plain typed columns a
person filters in SQL, and are kept when a later extraction of the same page comes back
without them.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.warehouse.wh_helpers import T0, article, load, rows, run

HEADER = {
    "index_no": "11330100002489123X/2023-00015",
    "doc_no": "临政办发〔2023〕5号",
    "issuer": "临江市人民政府办公厅",
    "written_at": date(2023, 3, 1),
    "topic": "城乡建设、环境保护\\城市规划",
    "validity": "有效",
}
COLUMNS = ", ".join(HEADER)
LATER = T0 + timedelta(days=1)


def notice(**kw: Any) -> Any:
    return article(1, **{**HEADER, **kw})


def test_fields_load_into_articles_and_versions(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[notice(), article(2)])
    assert rows(wh, f"SELECT {COLUMNS} FROM articles WHERE article_id = 'city-1'") == [HEADER]
    assert rows(wh, f"SELECT {COLUMNS} FROM article_versions WHERE article_id = 'city-1'") == [
        HEADER
    ]
    assert rows(wh, f"SELECT {COLUMNS} FROM articles WHERE article_id = 'city-2'") == [
        dict.fromkeys(HEADER)
    ]


def test_fields_are_queryable_by_sql(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[notice(), article(2)])
    found = rows(
        wh,
        "SELECT article_id, year(written_at) AS year FROM articles"
        " WHERE doc_no = ? AND written_at < DATE '2023-03-06' AND validity = '有效'",
        ["临政办发〔2023〕5号"],
    )
    assert found == [{"article_id": "city-1", "year": 2023}]


def test_a_change_of_validity_is_a_new_version(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[notice()])
    report = load(wh, staging, run("run-2"), articles=[notice(validity="失效", fetched_at=LATER)])
    assert report.counts_for("run-2")["articles_updated"] == 1
    assert rows(wh, "SELECT version, validity FROM article_versions ORDER BY version") == [
        {"version": 1, "validity": "有效"},
        {"version": 2, "validity": "失效"},
    ]
    assert rows(wh, "SELECT validity FROM articles") == [{"validity": "失效"}]


def test_an_extraction_without_the_header_keeps_the_stored_fields(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[notice()])
    empty = dict.fromkeys(HEADER)
    report = load(wh, staging, run("run-2"), articles=[notice(fetched_at=LATER, **empty)])
    assert report.counts_for("run-2")["lost_fields"] == 1
    assert rows(wh, f"SELECT {COLUMNS} FROM articles") == [HEADER]
    assert rows(wh, "SELECT count(*) AS n FROM article_versions") == [{"n": 1}]
    ((reason,),) = [[r["reason"] for r in rows(wh, "SELECT reason FROM fetch_errors")]]
    assert reason == (
        "extraction lost fields: index_no, doc_no, issuer, written_at, topic, validity;"
        " stored values kept"
    )
