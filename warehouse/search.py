"""Offline BM25 full-text search over article titles and bodies, in English and Chinese.

DuckDB's fts extension is not in the wheel and does not segment Chinese, so pressroom keeps
its own term table. One tokenizer, written as a DuckDB macro, serves both indexing (run by
:func:`warehouse.staging.stage_batch` in an in-memory DuckDB, before any lock is taken) and
queries, so the two can never disagree:

- Latin-script words and numbers, lowercased; a final ``s`` is stripped from words longer than
  three letters that do not end in ``ss`` (``councils`` -> ``council``).
- CJK runs become overlapping character bigrams (``高新区`` -> ``高新``, ``新区``); a run of one
  character is kept as it is.

Title terms count three times. ``search_terms`` holds (article_id, term, tf) and
``search_docs`` the document lengths; the loader replaces an article's rows whenever its content
changes, in the same transaction as the article, so search is current after every load. The
score is Okapi BM25 (k1 = 1.2, b = 0.75) computed in SQL.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb

from warehouse.db import DEFAULT_LOCK_TIMEOUT, connect

__all__ = [
    "TERMS_SQL",
    "SearchHit",
    "define_tokenizer",
    "search",
    "tokenize",
]

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3

_CJK = r"\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{F900}-\x{FAFF}"
_TOKENIZER_SQL = rf"""
CREATE OR REPLACE TEMP MACRO pr_search_tokens(txt) AS list_concat(
    [CASE WHEN length(w) > 3 AND suffix(w, 's') AND NOT suffix(w, 'ss') THEN w[:-2] ELSE w END
        FOR w IN regexp_extract_all(lower(coalesce(txt, '')), '[0-9\p{{Latin}}]+')],
    flatten([
        CASE WHEN length(r) = 1 THEN [r] ELSE [substr(r, i, 2) FOR i IN range(1, length(r))] END
        FOR r IN regexp_extract_all(coalesce(txt, ''), '[{_CJK}]+')
    ])
)
"""

TERMS_SQL = f"""
WITH toks AS (
    SELECT article_id, unnest(pr_search_tokens(title)) AS term, {TITLE_WEIGHT} AS w FROM {{source}}
    UNION ALL
    SELECT article_id, unnest(pr_search_tokens(body_text)) AS term, 1 AS w FROM {{source}}
)
SELECT article_id, term, sum(w)::INTEGER AS tf FROM toks GROUP BY article_id, term
ORDER BY term, article_id
"""
"""(article_id, term, tf) for every row of ``{source}`` (columns article_id, title, body_text)."""

_SEARCH_SQL = f"""
WITH hits AS (
    SELECT article_id, term, tf FROM search_terms WHERE term IN ({{placeholders}})
),
stats AS (SELECT count(*)::DOUBLE AS n, avg(doc_len)::DOUBLE AS avgdl FROM search_docs),
df AS (SELECT term, count(*)::DOUBLE AS df FROM hits GROUP BY term),
scored AS (
    SELECT
        h.article_id,
        sum(
            ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
            * h.tf * ({K1} + 1)
            / (h.tf + {K1} * (1 - {B} + {B} * d.doc_len / stats.avgdl))
        ) AS score
    FROM hits AS h
    JOIN df USING (term)
    JOIN search_docs AS d USING (article_id)
    CROSS JOIN stats
    WHERE ($source_id IS NULL OR d.source_id = $source_id)
    GROUP BY h.article_id
)
SELECT s.article_id, a.source_id, a.title, a.published_at, a.url, s.score, a.body_text
FROM scored AS s
JOIN articles AS a USING (article_id)
WHERE $since IS NULL OR a.published_at >= $since
ORDER BY s.score DESC, a.published_at DESC NULLS LAST, s.article_id
LIMIT $limit
"""


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result; ``snippet`` is a short passage around the first match."""

    article_id: str
    source_id: str
    title: str | None
    published_at: datetime | None
    url: str
    score: float
    snippet: str


def define_tokenizer(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``pr_search_tokens(text)`` macro on ``con`` (a temporary macro)."""
    con.execute(_TOKENIZER_SQL)


def tokenize(text: str) -> list[str]:
    """Terms of ``text`` as the index sees them (runs the SQL tokenizer in memory)."""
    con = duckdb.connect()
    try:
        define_tokenizer(con)
        return list(con.execute("SELECT pr_search_tokens(?)", [text]).fetchall()[0][0])
    finally:
        con.close()


def _as_since(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


_WORD = re.compile(r"[0-9A-Za-zÀ-ɏ]+")


def _snippet(body: str | None, query: str, terms: list[str], width: int = 160) -> str:
    """About ``width`` characters of ``body`` around the first place a query term occurs."""
    if not body:
        return ""
    text = " ".join(body.split())
    lowered = text.lower()
    needles = [w.lower() for w in _WORD.findall(query)] + [t for t in terms if not t.isascii()]
    needles += [t for t in terms if t.isascii()]
    positions = [p for p in (lowered.find(n) for n in needles if n) if p >= 0]
    start = max(min(positions) - width // 3, 0) if positions else 0
    end = min(start + width, len(text))
    out = text[start:end]
    if start > 0:
        out = "…" + out
    if end < len(text):
        out += "…"
    return out


def search(
    warehouse_path: str | os.PathLike[str],
    text: str,
    *,
    source_id: str | None = None,
    since: date | datetime | None = None,
    limit: int = 20,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[SearchHit]:
    """Articles matching ``text``, best BM25 score first (ties: newest first).

    ``since`` keeps articles published on or after it (a date means midnight UTC). Opens the
    warehouse read-only and closes it at once; a missing warehouse gives no hits.
    """
    if not Path(warehouse_path).exists():
        return []
    with connect(warehouse_path, read_only=True, lock_timeout=lock_timeout) as con:
        define_tokenizer(con)
        terms = list(
            dict.fromkeys(con.execute("SELECT pr_search_tokens(?)", [text]).fetchall()[0][0])
        )
        if not terms:
            return []
        names = [f"$t{i}" for i in range(len(terms))]
        params: dict[str, object] = {f"t{i}": term for i, term in enumerate(terms)}
        params.update(source_id=source_id, since=_as_since(since), limit=int(limit))
        sql = _SEARCH_SQL.format(placeholders=", ".join(names))
        rows = con.execute(sql, params).fetchall()
    return [
        SearchHit(
            article_id=r[0],
            source_id=r[1],
            title=r[2],
            published_at=r[3],
            url=r[4],
            score=round(float(r[5]), 6),
            snippet=_snippet(r[6], text, terms),
        )
        for r in rows
    ]
