"""The keys the schema no longer enforces stay unique through what users do:
new articles, corrections, unchanged re-fetches, a batch staged twice, a reload after a
kill; and the check finds a duplicate when there is one."""

from __future__ import annotations

import shutil
from pathlib import Path

from pressroom.core.runs import PageRecord
from pressroom.warehouse import connect, load_pending, stage_batch
from pressroom.warehouse.integrity import duplicate_keys
from tests.warehouse.wh_helpers import T0, article, load, run, seen


def _page(n: int, status: int = 200) -> PageRecord:
    url = f"https://city.example/news/{n}"
    return PageRecord("city", url, None, status, None, None, fetched_at=T0, article_id=f"city-{n}")


def _duplicates(wh: Path) -> dict[str, list[tuple]]:
    with connect(wh, read_only=True) as con:
        return duplicate_keys(con)


def test_a_sequence_of_loads_keeps_every_key_unique(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[article(n) for n in range(1, 6)],
        pages=[_page(n) for n in range(1, 6)],
    )
    # a correction of two articles, the same article twice in one batch (last wins)
    load(
        wh,
        staging,
        run("run-2"),
        articles=[
            article(1, title="Corrected"),
            article(2, title="Once"),
            article(2, title="Twice"),
        ],
        pages=[_page(1), _page(2), _page(2, status=304)],
    )
    # unchanged re-fetches and a 304
    load(wh, staging, run("run-3"), unchanged=[seen("city", 3, T0)], pages=[_page(3, status=304)])
    # the same batch staged twice (a copy of a batch directory left by a restore)
    stage_batch(staging, run=run("run-4"), articles=[article(6), article(1, title="Again")])
    [batch] = [p for p in staging.iterdir() if p.is_dir()]
    shutil.copytree(batch, staging / f"{batch.name}-copy")
    report = load_pending(wh, staging, lock_timeout=5)
    assert report.ok
    assert _duplicates(wh) == {}
    with connect(wh, read_only=True) as con:
        versions = con.execute(
            "SELECT article_id, count(*) FROM article_versions GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert versions == [
        ("city-1", 3),
        ("city-2", 2),
        ("city-3", 1),
        ("city-4", 1),
        ("city-5", 1),
        ("city-6", 1),
    ]


def test_the_check_names_the_table_and_the_key_held_twice(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1), article(2)])
    with connect(wh) as con:
        con.execute("INSERT INTO articles SELECT * FROM articles WHERE article_id = 'city-2'")
        con.execute(
            "INSERT INTO article_versions SELECT * FROM article_versions"
            " WHERE article_id = 'city-1'"
        )
    assert _duplicates(wh) == {"articles": [("city-2",)], "article_versions": [("city-1", 1)]}
