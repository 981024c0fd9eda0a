"""The bundled demo content: enough articles, spread over 2022-2024, plausible and deterministic."""

from __future__ import annotations

from collections import Counter

import pytest

from pressroom.demo import FAMILIES, SEED_PATH, load_articles


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_has_enough_varied_articles(family):
    articles = load_articles(family)
    assert len(articles) >= 32
    assert Counter(a.published.year for a in articles).keys() == {2022, 2023, 2024}
    assert len({a.title for a in articles}) == len(articles)
    assert len({a.path for a in articles}) == len(articles)
    for article in articles:
        assert 2 <= len(article.blocks) <= 6, article.title
        assert article.published.tzinfo is not None
        assert "lorem" not in article.body_text.lower()


def test_content_is_deterministic():
    assert load_articles("hightech") == load_articles("hightech")
    ids = [a.doc_id for a in load_articles("hightech")]
    assert ids == sorted(ids) and SEED_PATH in {a.path for a in load_articles("hightech")}


def test_special_blocks_exist():
    hightech, cityhall = load_articles("hightech"), load_articles("cityhall")
    assert sum(1 for a in hightech if a.image) >= 3
    assert sum(1 for a in hightech if a.attachment) == 1
    kinds = Counter(type(b).__name__ for a in cityhall for b in a.blocks)
    assert kinds["BulletList"] >= 3 and kinds["Table"] == 1
    [with_table] = [a for a in cityhall if any(type(b).__name__ == "Table" for b in a.blocks)]
    assert "Phase | Segment | Dates | Lanes affected" in with_table.paragraphs
