"""The public corpora and the body metric, shared by ``bench/extraction.py`` and the CI gate.

Corpora live in ``../shared/corpora`` beside the repository root (see its README); a corpus whose
folder is absent loads as None. Each :class:`Page` carries its gold fields:

* ``scrapinghub``: ``body`` (the gold ``articleBody``).
* ``fundus-eval``: ``body`` (the gold paragraphs, one per line).
* ``htmldate-eval``: ``day`` (``YYYY-MM-DD``); no body.
* ``readability``: ``body`` (the text of ``expected.html``), ``title``, ``byline``, ``day`` (the
  day of ``publishedTime`` where given), ``readerable`` (False for the pages with no article).
* ``fixtures``: the project's saved pages, ``tests/fixtures/extraction`` (the expected record).

The body metric is the scrapinghub benchmark's: 4-word shingles of ``\\w+`` tokens, per-page
tp/fp/fn normalised to sum to 1, precision and recall averaged over pages, then their F1.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from pressroom.core.articles import ExtractionProfile
from pressroom.extractors.inspect import profile_from_dict

__all__ = [
    "CORPORA_DIR",
    "CORPUS_NAMES",
    "FIXTURES_DIR",
    "GOLD_MIN_CHARS",
    "READABILITY_URL",
    "Page",
    "body_f1",
    "html_text",
    "load_corpus",
    "shingle_counts",
]

ROOT = Path(__file__).resolve().parent.parent
CORPORA_DIR = ROOT.parent / "shared" / "corpora"
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "extraction"
CORPUS_NAMES = ("fixtures", "scrapinghub", "fundus-eval", "htmldate-eval", "readability")
READABILITY_URL = "http://fakehost/test/page.html"  # what Readability's own suite uses
GOLD_MIN_CHARS = 200  # gold text this long is an article whose body must not come back empty
_TOKEN = re.compile(r"\w+")
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2",
     "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "dd", "dt", "br", "hr"}
)  # fmt: skip


@dataclass
class Page:
    """One page of a corpus with its gold fields."""

    name: str
    body: bytes
    url: str
    profile: ExtractionProfile = field(default_factory=ExtractionProfile)
    content_type: str | None = None
    gold: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- metric


def shingle_counts(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """tp, fp, fn over 4-token shingles, normalised to sum to 1 (the upstream's metric)."""
    gold, got = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in gold.keys() | got.keys():
        g, p = gold.get(key, 0), got.get(key, 0)
        tp += min(g, p)
        fp += max(0, p - g)
        fn += max(0, g - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def body_f1(counts: list[tuple[float, float, float]]) -> float:
    """Mean precision and mean recall over pages, then their harmonic mean."""
    precision = [_score(tp, fp, fn, fp) for tp, fp, fn in counts if tp + fp > 0]
    recall = [_score(tp, fp, fn, fn) for tp, fp, fn in counts if tp + fn > 0]
    p = statistics.mean(precision) if precision else 0.0
    r = statistics.mean(recall) if recall else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _score(tp: float, fp: float, fn: float, miss: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == miss == 0:
        return 0.0
    return tp / (tp + miss)


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment, one line per block (``expected.html``)."""
    if not markup.strip():
        return ""
    root = lxml_html.fromstring(markup)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
                if child.tag in _BLOCKS:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ----------------------------------------------------------------------------- corpora


def load_corpus(name: str, limit: int | None = None) -> list[Page] | None:
    """The pages of a corpus, or None when its folder is absent."""
    loader = {
        "fixtures": _fixtures,
        "scrapinghub": _scrapinghub,
        "fundus-eval": _fundus,
        "htmldate-eval": _htmldate,
        "readability": _readability,
    }[name]
    folder = FIXTURES_DIR if name == "fixtures" else CORPORA_DIR / name
    if not folder.is_dir():
        return None
    pages = []
    for page in loader(folder):
        pages.append(page)
        if limit and len(pages) >= limit:
            break
    return pages


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _fixtures(folder: Path) -> Iterator[Page]:
    for spec in sorted(folder.glob("*.json")):
        data = json.loads(spec.read_text(encoding="utf-8"))
        stem = spec.name.removesuffix(".json")
        page = folder / f"{stem}.html"
        given = data["input"]
        gold = dict(data["expected"])
        gold["body"] = "\n".join(gold.get("paragraphs", []))
        yield Page(
            name=stem,
            body=_read(page if page.exists() else folder / f"{stem}.html.gz"),
            url=given["url"],
            profile=profile_from_dict(given),
            content_type=given.get("content_type"),
            gold=gold,
        )


def _scrapinghub(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if path.exists():
            gold = {"body": truth[key].get("articleBody", "")}
            yield Page(name=key, body=_read(path), url=truth[key].get("url", ""), gold=gold)


def _fundus(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        path = folder / "html" / (key if key.endswith(".gz") else f"{key}.html.gz")
        if path.exists():
            gold = {"body": "\n".join(truth[key].get("body") or [])}
            yield Page(name=key, body=_read(path), url=truth[key].get("url", ""), gold=gold)


def _htmldate(folder: Path) -> Iterator[Page]:
    truth = json.loads((folder / "eval_default.json").read_text(encoding="utf-8"))
    for url in sorted(truth):
        entry = truth[url]
        path = folder / "html" / f"{entry['file']}.gz"
        if path.exists() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry.get("date"))):
            yield Page(name=entry["file"], body=_read(path), url=url, gold={"day": entry["date"]})


def _readability(folder: Path) -> Iterator[Page]:
    for page_dir in sorted(p for p in (folder / "pages").iterdir() if p.is_dir()):
        source = page_dir / "source.html.gz"
        if not source.exists():
            continue
        meta_file = page_dir / "expected-metadata.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        expected = page_dir / "expected.html.gz"
        text = html_text(_read(expected).decode("utf-8")) if expected.exists() else ""
        published = meta.get("publishedTime")
        day = published[:10] if isinstance(published, str) else None
        gold = {
            "body": text,
            "title": meta.get("title") or None,
            "byline": meta.get("byline") or None,
            "day": day if day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else None,
            "readerable": meta.get("readerable", True) is not False,
        }
        yield Page(name=page_dir.name, body=_read(source), url=READABILITY_URL, gold=gold)
