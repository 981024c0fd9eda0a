"""Regression gate: every real article of the shared corpora keeps a body, and body F1 holds.

Over every page of ``../shared/corpora`` (beside the repository root) whose gold text has 200
characters or more (``readerable: false`` readability pages excluded: they hold no article):
the extracted body is never empty, and each corpus's body F1 (bench/corpora.py's shingle
metric, the one bench/extraction.py reports) stays at or above its floor. The floors sit just
under the figures this test computed when the gate was last raised (December 2026, on its own
page set: gold text of 200+ characters): scrapinghub 0.9686, fundus-eval 0.9536, readability
0.9446.

Skips where the corpora are absent (a user's clone). Runs the extractor in a pool of two
processes; deselect with ``-m "not corpus"``.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bench.corpora import (
    CORPORA_DIR,
    GOLD_MIN_CHARS,
    Page,
    body_f1,
    load_corpus,
    shingle_counts,
)
from pressroom.extractors import extract_article

pytestmark = pytest.mark.corpus

GATED = ("scrapinghub", "fundus-eval", "readability")  # htmldate-eval has dates, no gold text
FLOORS = {"scrapinghub": 0.966, "fundus-eval": 0.951, "readability": 0.942}
assert Path(__file__).resolve().parents[2].parent / "shared" / "corpora" == CORPORA_DIR


def _body(page: Page) -> str:
    record = extract_article(
        page.body, page.url, profile=page.profile, content_type=page.content_type
    )
    return "\n".join(record.paragraphs)


def _articles() -> dict[str, list[Page]]:
    found = {}
    for name in GATED:
        pages = load_corpus(name)
        if pages is not None:
            found[name] = [
                p
                for p in pages
                if p.gold.get("readerable", True) and len(p.gold["body"]) >= GOLD_MIN_CHARS
            ]
    return found


def test_every_corpus_article_keeps_a_body_and_body_f1_holds() -> None:
    corpora = _articles()
    if not corpora:
        pytest.skip(f"{CORPORA_DIR} is absent")
    pages = [(name, page) for name, group in corpora.items() for page in group]
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        bodies = list(pool.map(_body, [page for _, page in pages], chunksize=8))
    found = zip(pages, bodies, strict=True)
    empty = [f"{name}/{page.name}" for (name, page), body in found if not body]
    assert empty == [], f"{len(empty)} articles came back with no body: {empty}"
    low = {}
    for name in corpora:
        counts = [
            shingle_counts(page.gold["body"], body)
            for (group, page), body in zip(pages, bodies, strict=True)
            if group == name
        ]
        f1 = body_f1(counts)
        if f1 < FLOORS[name]:
            low[name] = f"{f1:.4f} < {FLOORS[name]}"
    assert low == {}, f"body F1 under its floor: {low}"
