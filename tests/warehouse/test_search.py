"""Search on tantivy: English stemming, Chinese bigrams, phrases, filters, snippets, ranking,
and an index that is never behind the warehouse (catch-up after a crash, --reindex)."""

from __future__ import annotations

import importlib
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from pressroom.core.errors import QueryRefused
from pressroom.warehouse import load_pending, reindex, search, stage_batch
from pressroom.warehouse.index_writer import wait_for_index
from pressroom.warehouse.search_index import index_dir, index_watermark, open_index
from tests.warehouse.wh_helpers import T0, article, load, rows, run

SEARCH = importlib.import_module("pressroom.warehouse.search_query")


def ids(hits: list) -> list[str]:
    return [h.article_id for h in hits]


def test_english_is_stemmed_and_titles_outrank_bodies(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="Road closures this weekend", paragraphs=["Main Street is closed."]),
            article(2, title="Library hours", paragraphs=["The library mentions water once."]),
            article(3, title="Water main repair", paragraphs=["Crews fix a main."]),
            article(4, title="Budget hearing", paragraphs=["The councils meet on Tuesday."]),
        ],
    )
    hits = search(wh, "water")
    assert ids(hits) == ["city-3", "city-2"]  # the title match first
    assert hits[0].score > hits[1].score > 0
    assert ids(search(wh, "council meeting")) == ["city-4"]  # councils -> council
    assert ids(search(wh, "closing")) == ["city-1"]  # closing / closures / closed stem apart,
    assert search(wh, "zebra") == []


def test_chinese_uses_bigrams_and_a_run_as_a_phrase(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="高新区举办创新创业大赛", paragraphs=["成都高新区今日举办大赛。"]),
            article(2, title="市政府召开常务会议", paragraphs=["会议研究了高新技术产业。"]),
            article(3, title="天气预报", paragraphs=["明天有雨，新区停电。"]),
        ],
    )
    assert ids(search(wh, "高新区")) == ["city-1"]  # 高新 and 新区 in one run
    assert ids(search(wh, "常务会议")) == ["city-2"]
    assert sorted(ids(search(wh, "高新 新区"))) == ["city-1", "city-2", "city-3"]


def test_a_mixed_page_is_found_in_both_languages(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="Budget 预算 hearing", paragraphs=["The council 审议了预算草案."]),
            article(2, title="Parks", paragraphs=["Nothing in Chinese here."]),
        ],
    )
    assert ids(search(wh, "预算")) == ["city-1"]
    assert ids(search(wh, "budgets")) == ["city-1"]
    assert ids(search(wh, "预算草案 council")) == ["city-1"]


def test_phrases_in_quotes_need_the_words_in_order(wh: Path, staging: Path) -> None:
    load(
        wh,
        staging,
        articles=[
            article(1, title="Notice", paragraphs=["The water main broke on Elm."]),
            article(2, title="Notice", paragraphs=["The main water supply is safe."]),
        ],
    )
    assert sorted(ids(search(wh, "water main"))) == ["city-1", "city-2"]
    assert ids(search(wh, '"water main"')) == ["city-1"]
    assert ids(search(wh, '"main water"')) == ["city-2"]


def test_a_phrase_of_common_words_finds_only_articles_with_the_words_in_order(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 300 articles hold both words; 30 hold the phrase (5 of them in the title). A lone
    # phrase of words each found in many articles is looked for among the 200 best articles
    # for its words first (search_query.top_hits); "many" is lowered here to 100
    monkeypatch.setattr(SEARCH, "_PLAIN_PHRASE_BELOW", 100)
    reversed_order = "The main reason for the water bill is the main."
    articles = [article(n, paragraphs=[reversed_order]) for n in range(270)]
    articles += [
        article(n, paragraphs=["Crews fixed the water main.", reversed_order])
        for n in range(270, 295)
    ]
    articles += [
        article(n, title="Water main break", paragraphs=[reversed_order]) for n in range(295, 300)
    ]
    load(wh, staging, articles=articles)
    in_order = {f"city-{n}" for n in range(270, 300)}
    top = search(wh, '"water main"', limit=20)
    assert len(top) == 20 and set(ids(top)) <= in_order
    assert set(ids(top[:5])) == {f"city-{n}" for n in range(295, 300)}  # titles weigh more
    assert set(ids(search(wh, '"water main"', limit=100))) == in_order  # all, and only them
    assert ids(search(wh, '"main water"')) == []


def test_a_phrase_outside_the_best_articles_for_its_words_is_still_found(
    wh: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SEARCH, "_PLAIN_PHRASE_BELOW", 100)
    # 400 short articles repeat both words out of order (high scores for the words); the five
    # with the phrase are long and say it once, so none is among the 200 best for the words
    loud = "Main road by the water tower; main road, water tower."
    filler = " ".join(["Residents asked about parking permits and bus routes."] * 30)
    articles = [article(n, paragraphs=[loud]) for n in range(400)]
    articles += [
        article(n, paragraphs=[filler, "The water main was replaced.", filler])
        for n in range(400, 405)
    ]
    load(wh, staging, articles=articles)
    assert sorted(ids(search(wh, '"water main"'))) == [f"city-{n}" for n in range(400, 405)]
    assert ids(search(wh, '"water main"', source_id="elsewhere")) == []


def test_query_syntax_a_person_types_by_accident_is_read_as_words(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Budget: 2024 draft (revised)")])
    for text in ("Budget: 2024", "(draft", '"revised', "budget AND", "title: draft"):
        assert ids(search(wh, text)) == ["city-1"], text
    with pytest.raises(QueryRefused, match="cannot read the query '-budget'"):
        search(wh, "-budget")  # nothing but an exclusion: said so (exit code 2 in the CLI)


def test_snippets_mark_the_matched_words(wh: Path, staging: Path) -> None:
    long = "Filler words about nothing. " * 20 + "The ferry leaves at noon."
    load(
        wh,
        staging,
        articles=[
            article(1, title="Schedule", paragraphs=[long]),
            article(2, title="通知", paragraphs=["明天上午渡轮停航，请注意。"]),
            article(3, title="Ferry", paragraphs=["Timetable only."]),
            # the snippet is looked for in the body's first 800 characters, then in all of it
            article(
                4, title="Minutes", paragraphs=["Nothing to see here. " * 200, "Ferry fares rise."]
            ),
            article(5, title="Notes", paragraphs=["A ferry sails. " + "Nothing here. " * 200]),
        ],
    )
    hit = search(wh, "ferries", source_id="city")
    by_id = {h.article_id: h.snippet for h in hit}
    assert "**ferry**" in by_id["city-1"].lower() and len(by_id["city-1"]) < 200
    assert by_id["city-3"] == "Timetable only."  # a title-only match shows the body's start
    assert "**Ferry** fares rise" in by_id["city-4"]
    assert "A **ferry** sails." in by_id["city-5"]
    assert "**渡轮**" in search(wh, "渡轮")[0].snippet


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
    day_of_1 = (T0 - timedelta(days=1)).date()  # until is inclusive of the whole day
    assert sorted(ids(search(wh, "park", until=day_of_1))) == ["city-1", "city-40", "county-2"]
    assert ids(search(wh, "park", since=day_of_1, until=day_of_1)) == ["city-1"]
    assert len(search(wh, "park", limit=1)) == 1
    assert search(wh, "park", since=date(2030, 1, 1)) == []
    hit = search(wh, "park", source_id="county")[0]
    assert hit.published_at == T0 - timedelta(days=2)
    assert hit.url == "https://county.example/news/2" and hit.title == "Park opening"


def test_a_correction_replaces_the_articles_document(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Snow emergency declared")])
    assert ids(search(wh, "snow")) == ["city-1"]
    load(wh, staging, run("run-2"), articles=[article(1, title="Heat advisory issued")])
    assert search(wh, "snow") == []
    assert ids(search(wh, "heat")) == ["city-1"]
    index = open_index(wh, create=False)
    assert index is not None and index.searcher().num_docs == 2  # one article + the watermark


def test_search_on_a_missing_warehouse_finds_nothing(wh: Path) -> None:
    assert search(wh, "anything") == []


def test_the_index_is_beside_the_warehouse_and_nothing_of_it_is_in_the_warehouse(
    wh: Path, staging: Path
) -> None:
    load(wh, staging, articles=[article(1, title="Harbor dredging")])
    assert index_dir(wh) == Path(f"{wh}.search") and index_dir(wh).is_dir()
    names = rows(
        wh,
        "SELECT table_name AS name FROM duckdb_tables() UNION ALL"
        " SELECT view_name FROM duckdb_views() WHERE NOT internal UNION ALL"
        " SELECT sequence_name FROM duckdb_sequences()",
    )
    assert not [r for r in names if "search" in r["name"]]


def _watermark(wh: Path) -> int:
    wait_for_index(wh)  # this process's loads commit the index on a thread of their own
    index = open_index(wh, create=False)
    return -1 if index is None else index_watermark(index)


def test_a_crash_between_the_two_commits_is_caught_up_by_the_next_search(
    wh: Path, staging: Path, tmp_path: Path
) -> None:
    load(wh, staging, articles=[article(1, title="Bridge repair")])
    wait_for_index(wh)
    saved = tmp_path / "index-after-load-1"
    shutil.copytree(index_dir(wh), saved)
    load(wh, staging, run("run-2"), articles=[article(2, title="Bridge closed")])
    load(wh, staging, run("run-3"), articles=[article(1, title="Tunnel repair")])
    wait_for_index(wh)
    # The loader "died" after the warehouse commits of loads 2 and 3, before the index commits:
    shutil.rmtree(index_dir(wh))
    shutil.copytree(saved, index_dir(wh))
    assert _watermark(wh) == 1
    assert ids(search(wh, "bridge")) == ["city-2"]  # caught up: city-1 is now about a tunnel
    assert ids(search(wh, "tunnel")) == ["city-1"]
    assert _watermark(wh) == 3


def test_a_lost_index_is_rebuilt_by_the_next_load(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Bridge repair"), article(2, title="Bridge")])
    wait_for_index(wh)
    shutil.rmtree(index_dir(wh))
    load(wh, staging, run("run-2"), articles=[article(3, title="Ferry")])
    assert _watermark(wh) == 2
    assert sorted(ids(search(wh, "bridge"))) == ["city-1", "city-2"]
    assert ids(search(wh, "ferry")) == ["city-3"]


def test_an_index_ahead_of_the_warehouse_is_rebuilt(
    wh: Path, staging: Path, tmp_path: Path
) -> None:
    load(wh, staging, articles=[article(1, title="Bridge repair")])
    older = tmp_path / "older.duckdb"
    shutil.copy(wh, older)
    load(wh, staging, run("run-2"), articles=[article(2, title="Bridge closed")])
    shutil.copy(older, wh)  # the warehouse restored from a copy older than its index
    assert ids(search(wh, "bridge")) == ["city-1"]
    assert _watermark(wh) == 1


def test_reindex_rebuilds_from_the_warehouse(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(n, title=f"Ferry {n}") for n in range(5)])
    load(wh, staging, run("run-2"), articles=[article(3, title="Bus")])
    before = sorted(ids(search(wh, "ferry")))
    shutil.rmtree(index_dir(wh))
    index_dir(wh).mkdir()
    (index_dir(wh) / "junk").write_text("not an index")
    assert reindex(wh) == 5
    # (scores may move: until a merge, BM25 statistics still count a replaced document)
    assert sorted(ids(search(wh, "ferry"))) == before == ["city-0", "city-1", "city-2", "city-4"]
    assert ids(search(wh, "bus")) == ["city-3"]


def test_batches_with_unchanged_articles_advance_the_watermark(wh: Path, staging: Path) -> None:
    load(wh, staging, articles=[article(1, title="Harbor dredging")])
    load(wh, staging, run("run-2"), articles=[article(1, title="Harbor dredging")])
    assert _watermark(wh) == 2 == rows(wh, "SELECT max(load_seq) AS m FROM loaded_batches")[0]["m"]
    assert ids(search(wh, "harbor")) == ["city-1"]


def test_a_batch_that_fails_after_its_articles_were_fed_leaves_none_of_them_searchable(
    wh: Path, staging: Path
) -> None:
    """The index is fed a batch's articles before the batch commits; when the batch then fails
    (here its paragraphs file is unreadable), its documents go and the good batch's stay."""
    load(wh, staging, articles=[article(1, title="Water main repair")])
    stage_batch(staging, run=run("run-2"), articles=[article(2, title="Water tower painting")])
    stage_batch(staging, run=run("run-3"), articles=[article(3, title="Water rates hearing")])
    second = sorted(p for p in staging.iterdir() if p.is_dir())[-1]
    (second / "paragraphs.parquet").write_bytes(b"not parquet")
    report = load_pending(wh, staging, lock_timeout=5)
    assert list(report.failed) == [second.name] and report.loaded == 1
    assert sorted(ids(search(wh, "water"))) == ["city-1", "city-2"]
    assert [r["article_id"] for r in rows(wh, "SELECT article_id FROM articles ORDER BY 1")] == [
        "city-1",
        "city-2",
    ]
