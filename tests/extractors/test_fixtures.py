"""Every saved page under tests/fixtures/extraction/ gives exactly its expected JSON.

Add a page with ``scripts/record_fixture.py`` and read the JSON it writes before committing.
The two demo families (``demo_*``) and the gov.cn seed article are checked field by field too,
so a regression names the field.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pressroom.extractors import extract_article
from pressroom.extractors.inspect import check_article, profile_from_dict, record_to_dict
from pressroom.extractors.sites import SITES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extraction"
NAMES = sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.json"))


def load(name: str) -> tuple[bytes, dict]:
    page = FIXTURES / f"{name}.html"
    body = (
        page.read_bytes()
        if page.exists()
        else gzip.decompress((FIXTURES / f"{name}.html.gz").read_bytes())
    )
    return body, json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def extract(name: str) -> dict:
    body, data = load(name)
    given = data["input"]
    record = extract_article(
        body, given["url"], profile=profile_from_dict(given), content_type=given.get("content_type")
    )
    return record_to_dict(record)


def test_at_least_twelve_fixtures() -> None:
    assert len(NAMES) >= 12
    assert {"demo_hightech_seed", "demo_cityhall_table"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture(name: str) -> None:
    _, data = load(name)
    got = extract(name)
    expected = data["expected"]
    for field in sorted(set(expected) | set(got)):
        assert got.get(field) == expected.get(field), field


@pytest.mark.parametrize("site", sorted(SITES))
def test_every_site_module_has_a_fixture(site: str) -> None:
    used = {load(name)[1]["input"].get("site_module") for name in NAMES}
    assert site in used, f"add a saved page for site module {site!r} (scripts/record_fixture.py)"


def test_fixture_json_is_sorted_and_has_no_empty_values() -> None:
    for name in NAMES:
        text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
        data = json.loads(text)
        assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", name
        assert all(v not in (None, "", [], {}) for v in data["expected"].values()), name


def test_seed_article_exactly() -> None:
    got = extract("demo_hightech_seed")
    seed = (FIXTURES / "demo_hightech_seed.html").read_bytes()
    assert b"TRS_Editor" in seed
    assert got["title"] == 'The High-tech Zone opened "double engine" and drove to "new track"'
    assert got["published_at"] == "2023-03-15T08:34:00+00:00"
    assert len(got["paragraphs"]) == 3
    assert got["paragraphs"][0].startswith("Marked by the acceleration")
    assert got["paragraphs"][2].endswith("greater leap-forward development.")


# Issue 14, Chinese government pages: one fixture per trap, written by hand in the style of TRS
# WCM, Hanweb jcms and hand-made gov.cn templates. Every expected JSON was checked by hand against
# its page; the tests below name the trap each one pins.


def test_disclosure_table_fields_and_publication_date() -> None:
    """Label/value cells, several pairs per row: 发布日期 is published_at, 成文日期 written_at;
    neither the table nor the signature date line is body."""
    got = extract("govcn_disclosure_table")
    assert got["published_at"] == "2023-03-05T16:00:00+00:00"  # 2023年03月06日, Beijing
    assert got["written_at"] == "2023-03-01"
    assert (got["index_no"], got["doc_no"]) == (
        "11330100002489123X/2023-00015",
        "临政办发〔2023〕5号",
    )
    assert not any("索" in p or p == "2023年3月1日" for p in got["paragraphs"])


def test_disclosure_list_and_hanweb_markers() -> None:
    """``<li><b>成文日期：</b>...`` before ``<li><b>公开日期：</b>...``: the 公开日期 wins; the body
    is what sits between ContentStart and ContentEnd; downfile.jsp links keep their names."""
    got = extract("hanweb_disclosure_list")
    assert got["published_at"] == "2023-02-23T16:00:00+00:00"
    assert got["written_at"] == "2023-02-20"
    assert got["rules"]["paragraphs"] == "hanweb:ContentStart"
    assert not any("相关阅读" in p or "字体" in p for p in got["paragraphs"])
    assert [a["text"] for a in got["attachments"]] == [
        "1.征收土地位置示意图.pdf",
        "2.征收土地补偿安置方案.xls",
    ]


def test_generation_time_meta_is_never_the_date() -> None:
    assert extract("govcn_generation_time_meta")["published_at"] == "2023-03-15T08:34:00+00:00"


@pytest.mark.parametrize("name", ["govcn_stale_alt_date", "govcn_stale_title_date"])
def test_stale_attribute_date_loses_to_visible_text(name: str) -> None:
    assert extract(name)["published_at"] == "2023-03-15T08:34:00+00:00"  # not 2017-11-08


def test_h2_title_with_dash_subtitle() -> None:
    got = extract("govcn_h2_subtitle")
    assert got["title"] == "扎根基层二十年 守护群众健康"
    assert got["lede"] == "记云岭县石门乡卫生院院长杨建华"
    assert not any(p.startswith("——") for p in got["paragraphs"])


def test_editor_in_comment_is_not_the_author() -> None:
    assert extract("govcn_editor_in_comment")["author"] == "张三"


def test_gbk_with_bad_bytes_under_a_latin1_header() -> None:
    got = extract("govcn_gbk_bad_bytes")
    assert got["author"] == "王晓明"
    assert got["title"] == "西峡县召开2023年春季农业生产工作会议"
    assert "\ufffd" not in json.dumps(got, ensure_ascii=False)


def test_check_source_lists_disclosure_fields_only_where_a_page_has_them() -> None:
    body, data = load("govcn_disclosure_table")
    rows = {r.name: r for r in check_article(body, data["input"]["url"]).fields}
    assert rows["doc_no"].value == "临政办发〔2023〕5号"
    assert rows["written_at"].value == "2023-03-01"
    assert rows["written_at"].rule == "disclosure:成文日期"
    plain_body, plain = load("demo_hightech_seed")
    names = {r.name for r in check_article(plain_body, plain["input"]["url"]).fields}
    assert "doc_no" not in names and "title" in names
