"""BM25 search: English and Chinese ranking, filters, and freshness after every load."""

from __future__ import annotations

import importlib
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from wh_helpers import T0, article, load, rows, run

from warehouse import connect, load_pending, search, stage_batch, tokenize
from warehouse.tokens import index_terms, term_key

search_mod = importlib.import_module("warehouse.search")  # the package re-exports search()


def ids(hits: list) -> list[str]:
    return [h.article_id for h in hits]


def test_tokenizer_handles_english_and_chinese() -> None:
    assert tokenize("Councils approve the 2024 budget") == [
        "council",
        "approve",
        "the",
        "2024",
        "budget",
    ]
    assert tokenize("成都高新区 news") == ["new", "成都", "都高", "高新", "新区"]


# The SQL macro that tokenized before migration 10: indexes built with it must stay right.
_MACRO_BEFORE_10 = r"""
CREATE MACRO old_tokens(txt) AS list_concat(
    [CASE WHEN length(w) > 3 AND suffix(w, 's') AND NOT suffix(w, 'ss') THEN w[:-2] ELSE w END
        FOR w IN regexp_extract_all(lower(coalesce(txt, '')), '[0-9\p{Latin}]+')],
    flatten([
        CASE WHEN length(r) = 1 THEN [r] ELSE [substr(r, i, 2) FOR i IN range(1, length(r))] END
        FOR r IN regexp_extract_all(
            coalesce(txt, ''), '[\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}]+')
    ])
)
"""

_SAMPLES = [
    "Councils approve the 2024 budget; the class passes bus-lanes.",
    "成都高新区举办创新创业大赛，会议研究了高新技术产业。天",
    "Café São Paulo: ÉLAN, Straße, İstanbul, ǅemal, ﬁnance, Ｆｕｌｌｗｉｄｔｈ, ⅷ, x²",
    "mixed 中文 text with 数字 42 and words's apostrophes ss sss",
    "",
    "   \n\t",
]


def test_tokenizer_gives_the_terms_and_keys_of_the_sql_macro_it_replaced() -> None:
    with duckdb.connect() as con:
        con.execute(_MACRO_BEFORE_10)
        for text in _SAMPLES:
            expected = con.execute("SELECT old_tokens(?)", [text]).fetchall()[0][0]
            assert tokenize(text) == expected, text
            keys = con.execute(
                "SELECT list(md5_number_lower(t)) FROM unnest(?::VARCHAR[]) AS u(t)", [expected]
            ).fetchall()[0][0]
            assert [term_key(t) for t in expected] == (keys or [])


def test_index_terms_counts_title_terms_three_times() -> None:
    postings, lengths = index_terms(["Water main", None], ["Water is off. Waters rise.", "数字"])
    assert lengths == [2 * 3 + 5, 1]
    got = sorted(zip(*(postings[c].to_pylist() for c in ("local", "term_key", "tf")), strict=True))
    assert got == sorted(
        [
            (0, term_key("water"), 3 + 2),
            (0, term_key("main"), 3),
            (0, term_key("is"), 1),
            (0, term_key("off"), 1),
            (0, term_key("rise"), 1),
            (1, term_key("数字"), 1),
        ]
    )
    assert postings["term_key"].to_pylist() == sorted(postings["term_key"].to_pylist())


def test_english_ranking_prefers_title_and_frequency(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="Road closures this weekend", paragraphs=["Main Street is closed."]),
            article(
                2, title="Water main repair", paragraphs=["Crews fix a water main. Water is off."]
            ),
            article(3, title="Library hours", paragraphs=["The library mentions water once."]),
            article(4, title="Budget hearing", paragraphs=["The council meets on Tuesday."]),
        ],
    )
    hits = search(wh, "water")
    assert ids(hits) == ["city-2", "city-3"]
    assert hits[0].score > hits[1].score > 0
    assert "water" in hits[0].snippet.lower()
    assert ids(search(wh, "Councils meeting")) == ["city-4"]
    assert search(wh, "zebra") == []


def test_chinese_ranking_uses_bigrams(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="高新区举办创新创业大赛", paragraphs=["成都高新区今日举办大赛。"]),
            article(2, title="市政府召开常务会议", paragraphs=["会议研究了高新技术产业。"]),
            article(3, title="天气预报", paragraphs=["明天有雨。"]),
        ],
    )
    hits = search(wh, "高新区")
    assert ids(hits) == ["city-1", "city-2"]
    assert "高新区" in hits[0].snippet
    assert ids(search(wh, "常务会议")) == ["city-2"]


def test_filters_by_source_and_date(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="Park opening"),
            article(40, title="Park opening"),
            article(2, source_id="county", title="Park opening"),
        ],
    )
    assert ids(search(wh, "park", source_id="county")) == ["county-2"]
    since = (T0 - timedelta(days=10)).date()
    assert sorted(ids(search(wh, "park", since=since))) == ["city-1", "county-2"]
    assert len(search(wh, "park", limit=1)) == 1
    assert search(wh, "park", since=date(2030, 1, 1)) == []


def test_search_is_current_after_a_correction(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Snow emergency declared")])
    assert ids(search(wh, "snow")) == ["city-1"]
    load(wh, staging, run("run-2"), articles=[article(1, title="Heat advisory issued")])
    assert search(wh, "snow") == []
    assert ids(search(wh, "heat")) == ["city-1"]


def test_search_on_a_missing_warehouse_finds_nothing(wh: Path) -> None:
    assert search(wh, "anything") == []


def test_a_batch_mixing_new_and_unchanged_articles_indexes_only_the_new(
    wh: Path, staging: Path
) -> None:
    load(wh, staging, articles=[article(1, title="Harbor dredging")])
    load(
        wh,
        staging,
        run("run-2"),
        articles=[
            article(1, title="Harbor dredging"),
            article(2, title="Harbor festival"),
        ],
    )
    assert sorted(ids(search(wh, "harbor"))) == ["city-1", "city-2"]
    harbor = rows(
        wh,
        "SELECT doc_id >> 20 AS batch, count(*) AS docs FROM search_postings"
        " WHERE term_key = md5_number_lower('harbor') GROUP BY batch ORDER BY batch",
    )
    assert [r["docs"] for r in harbor] == [1, 1]  # the unchanged article was not indexed again


def test_reindex_fills_articles_missing_from_the_index(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Bridge repair"), article(2, title="Bridge")])
    with connect(wh) as con:
        con.execute(
            "DELETE FROM search_docs; DELETE FROM search_postings_0; DELETE FROM search_segments"
        )
    assert search(wh, "bridge") == []
    load(wh, staging, run("run-2"))  # any load repairs the index
    assert sorted(ids(search(wh, "bridge"))) == ["city-1", "city-2"]


def test_segments_merge_in_levels_and_search_stays_right(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_mod, "FANOUT", 2)
    for n in range(5):
        load(wh, staging, run(f"run-{n}"), articles=[article(n, title=f"Ferry schedule {n}")])
    load(wh, staging, run("fix"), articles=[article(3, title="Bus schedule")])
    levels = rows(
        wh,
        "SELECT level, count(*) AS segments FROM search_segments WHERE level IN"
        " (SELECT level FROM search_postings) GROUP BY level ORDER BY level",
    )
    assert levels == [{"level": 1, "segments": 1}, {"level": 2, "segments": 1}]
    ferry = ids(search(wh, "ferry", limit=50))  # the superseded city-3 posting is ignored
    assert sorted(ferry) == ["city-0", "city-1", "city-2", "city-4"]
    assert ids(search(wh, "bus")) == ["city-3"]


def test_a_merge_drops_postings_of_superseded_contents(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_mod, "FANOUT", 2)
    load(wh, staging, articles=[article(1, title="Old headline")])
    load(wh, staging, run("run-2"), articles=[article(1, title="New headline")])
    assert rows(
        wh,
        "SELECT count(*) AS dead FROM search_postings"
        " WHERE doc_id NOT IN (SELECT doc_id FROM search_docs)",
    ) == [{"dead": 0}]
    assert ids(search(wh, "old")) == [] and ids(search(wh, "new")) == ["city-1"]


def test_segment_list_matches_the_postings(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_mod, "FANOUT", 2)
    for n in range(3):
        load(wh, staging, run(f"run-{n}"), articles=[article(n)])
    listed = rows(wh, "SELECT level, segment FROM search_segments ORDER BY ALL")
    actual = rows(
        wh,
        "SELECT level, max(doc_id >> 20) AS segment FROM search_postings GROUP BY ALL ORDER BY ALL",
    )
    assert listed == actual == [{"level": 0, "segment": 3}, {"level": 1, "segment": 2}]


def test_scores_across_merges_into_the_top_level_and_corrections_match_a_fresh_index(
    wh: Path, staging: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_mod, "FANOUT", 2)
    final = {}
    for n in range(9):
        batch = [article(n, title=f"Ferry {n}"), article(100 + n, title="Tram line")]
        final.update({a.article_id: a for a in batch})
        load(wh, staging, run(f"run-{n}"), articles=batch)
        if n % 3 == 2:
            fix = article(n - 1, title=f"Bus ferry replacement {n - 1}")
            final[fix.article_id] = fix
            load(wh, staging, run(f"fix-{n}"), articles=[fix])
    assert rows(wh, "SELECT count(*) AS n FROM search_segments WHERE level = 2") == [{"n": 3}]
    fresh = tmp_path / "fresh.duckdb"
    load(fresh, tmp_path / "fresh.staging", articles=list(final.values()))

    def ranked(path: Path, text: str) -> list[tuple[str, float]]:
        return [(h.article_id, h.score) for h in search(path, text, limit=50)]

    for text in ("ferry", "bus replacement", "tram", "ferry 4"):
        assert ranked(wh, text) == ranked(fresh, text)
    assert sorted(ids(search(wh, "bus", limit=50))) == ["city-1", "city-4", "city-7"]


def test_a_batch_staged_in_format_1_still_loads_and_is_searchable(wh: Path, staging: Path) -> None:
    """Batches staged before format 2 held one row of lists (locals, tfs) per term."""
    batch = stage_batch(staging, run=run(), articles=[article(1, title="Ferry"), article(2)])
    flat = pq.read_table(batch / "terms.parquet").to_pylist()
    lists: dict[int, tuple[list[int], list[int]]] = {}
    for row in flat:
        lists.setdefault(row["term_key"], ([], []))[0].append(row["local"])
        lists[row["term_key"]][1].append(row["tf"])
    old = pa.table(
        {
            "term_key": pa.array(list(lists), pa.uint64()),
            "locals": pa.array([v[0] for v in lists.values()], pa.list_(pa.int32())),
            "tfs": pa.array([v[1] for v in lists.values()], pa.list_(pa.int32())),
        }
    )
    pq.write_table(old, batch / "terms.parquet")
    manifest = json.loads((batch / "manifest.json").read_text())
    (batch / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    assert load_pending(wh, staging, lock_timeout=5).ok
    assert ids(search(wh, "ferry")) == ["city-1"]
    assert rows(wh, "SELECT count(*) AS n FROM search_postings") == [{"n": len(flat)}]
