"""Benchmark: how many real articles the page-kind classifier would wrongly call non-articles.

    .venv/bin/python bench/page_kinds.py            # every corpus, table on stdout
    .venv/bin/python bench/page_kinds.py --json

Every page of the public corpora in ``../shared/corpora`` (scrapinghub, fundus-eval,
htmldate-eval with a gold date, readability) and of ``tests/fixtures/extraction`` is a real
article, except the readability pages marked ``"readerable": false``. Each goes through
:func:`pressroom.extractors.article.extract_page`; the table gives, per corpus, the pages, how many
were
called an article and how many something else, and every wrongly classified page with its
reason. Corpora whose folder is absent are skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpora import Page, load_corpus  # noqa: E402

from pressroom.core.errors import ExtractionError  # noqa: E402
from pressroom.extractors.article import extract_page  # noqa: E402

CORPORA = ("fixtures", "scrapinghub", "fundus-eval", "htmldate-eval", "readability")


def corpus_pages(name: str) -> list[Page] | None:
    """Pages of one corpus, or None when its folder is absent."""
    return load_corpus(name, None)


def classify(pages: list[Page]) -> Iterator[tuple[Page, str, str]]:
    """(page, kind, reason) for each page; an extraction error is kind ``error``."""
    for page in pages:
        try:
            _, kind = extract_page(
                page.body, page.url, profile=page.profile, content_type=page.content_type
            )
        except ExtractionError as exc:
            yield page, "error", str(exc)
            continue
        yield page, kind.kind, kind.reason


def measure(name: str) -> dict[str, object] | None:
    """Counts for one corpus: pages, kinds, and the wrongly classified pages."""
    pages = corpus_pages(name)
    if pages is None:
        return None
    kinds: Counter[str] = Counter()
    wrong: list[dict[str, str]] = []
    non_articles = 0
    for page, kind, reason in classify(pages):
        kinds[kind] += 1
        is_article = page.gold.get("readerable", True)
        non_articles += not is_article
        if (kind == "article") != is_article:
            wrong.append({"page": page.name, "kind": kind, "reason": reason})
    return {
        "corpus": name,
        "pages": len(pages),
        "gold_non_articles": non_articles,
        "kinds": dict(kinds),
        "wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="only these")
    args = parser.parse_args(argv)
    results = [r for r in (measure(n) for n in args.corpus or CORPORA) if r is not None]
    if args.json:
        print(json.dumps({"corpora": results}, ensure_ascii=False, indent=2))
        return 0
    head = ("corpus", "pages", "gold non-art", "article", "other", "wrong")
    print(f"{head[0]:15} {head[1]:>6} {head[2]:>12} {head[3]:>8} {head[4]:>6} {head[5]:>6}")
    for r in results:
        kinds = r["kinds"]
        assert isinstance(kinds, dict)
        articles = kinds.get("article", 0)
        other = sum(kinds.values()) - articles
        wrong = r["wrong"]
        assert isinstance(wrong, list)
        print(
            f"{r['corpus']:15} {r['pages']:>6} {r['gold_non_articles']:>12} {articles:>8}"
            f" {other:>6} {len(wrong):>6}"
        )
    for r in results:
        for w in r["wrong"]:  # type: ignore[attr-defined]
            print(f"  {r['corpus']} {w['page']}: {w['kind']} ({w['reason']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
