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

from extractors import extract_article
from extractors.inspect import profile_from_dict, record_to_dict
from extractors.sites import SITES

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
