"""Full-text search over article titles and bodies, English and Chinese, on tantivy.

The index (:mod:`pressroom.warehouse.search_index`) sits beside the warehouse. A search first makes
sure
the index is not behind: unless the warehouse file is unchanged since the index was last known
current, it opens the warehouse read-only for a moment, compares watermarks and catches the
index up if a loader died between its two commits. While a load holds the
warehouse, the search reads the index as the loader last committed it (at most the batch being
loaded is missing) and says so through ``on_note``.

Queries use tantivy's query language: words (any of them may match; BM25 ranks), phrases in
double quotes, ``+word`` (required) and ``-word`` (excluded). English words are stemmed
(``councils`` finds ``council``); Chinese text is matched by character bigrams, a run of
several characters as a phrase of its bigrams. Title matches weigh :data:`TITLE_BOOST` times
body matches. A query that is one phrase is looked for in two steps (:func:`_top_hits`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import tantivy

from pressroom.core.errors import QueryRefused, WarehouseLocked
from pressroom.warehouse.db import connect, holds_a_database
from pressroom.warehouse.index_writer import (
    IndexBusy,
    bring_index_up_to_date,
    rebuild,
    wait_for_index,
)
from pressroom.warehouse.search_index import (
    SCHEMA,
    as_utc,
    cjk_runs,
    has_words_beside_cjk,
    index_dir,
    open_index,
    write_stamp,
)

__all__ = ["TITLE_BOOST", "SearchHit", "reindex", "search"]

TITLE_BOOST = 3.0
"""A match in the title counts this many times a match in the body."""

_FIELDS = ["title_en", "body_en", "title_zh", "body_zh"]
_BOOSTS = {"title_en": TITLE_BOOST, "title_zh": TITLE_BOOST}
_SNIPPET_CHARS = 160
_SNIPPET_FIRST_LOOK = 800
"""Characters of a body a snippet is first looked for in (the whole body when they hold no
match): the snippet generator reads every word it is given, 1.3 ms for 20 bodies of 3 KB."""
_SYNTAX = re.compile(r"[:()\[\]{}^~!\\*?<>=]|\b(?:AND|OR|NOT|IN)\b")
"""Query-language characters and operators a query is retried without when it does not parse."""
_LONE_PHRASE = re.compile(r'\s*"([^"]*)"\s*')
_CANDIDATES_PER_HIT = 10
_MIN_CANDIDATES = 200
"""A lone phrase is looked for among this many of the best articles for its words (at least;
:data:`_CANDIDATES_PER_HIT` per hit asked for): see :func:`_top_hits`."""
_PLAIN_PHRASE_BELOW = 60_000
"""Bodies holding the rarest word of a lone phrase up to which the phrase is checked in all of
them (see :func:`_top_hits`). Measured on 291 two-word phrases at 100,000 articles: p95 7.0-7.3
ms at 60,000, 8.0 at 40,000, 8.7-9.4 at 25,000, 8.6 at 80,000 (where the plain phrase search
itself grows past 10 ms)."""
_ENGLISH = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(40))
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.stemmer("english"))
    .build()
)
"""tantivy's ``en_stem`` analyzer (the English fields' terms), to count a word's articles."""
_CHECK_TIMEOUT = 0.5
"""Seconds a search waits for the warehouse to compare watermarks before it reads the index."""


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result; ``snippet`` shows the matched words as ``**word**``."""

    article_id: str
    source_id: str
    title: str | None
    published_at: datetime | None
    url: str
    score: float
    snippet: str


def _midnight(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _fields(text: str) -> list[str]:
    """The fields a query's text is looked for in: ASCII never matches a CJK bigram."""
    return _FIELDS[:2] if text.isascii() else _FIELDS


def _parsed(index: tantivy.Index, text: str) -> tantivy.Query:
    """``text`` in tantivy's query language over the default fields (titles boosted); a query
    that does not parse is read again as plain words."""
    fields = _fields(text)
    try:
        return index.parse_query(text, fields, field_boosts=_BOOSTS)
    except ValueError:
        plain = _SYNTAX.sub(" ", text)  # "Budget: 2024", "(draft", an unclosed quote: as words
        if plain.count('"') % 2:
            plain = plain.replace('"', " ")
        try:
            return index.parse_query(plain, fields, field_boosts=_BOOSTS)
        except ValueError as exc:
            raise QueryRefused(f"search: cannot read the query {text!r}: {exc}") from exc


def _filters(
    source_id: str | None, since: date | datetime | None, until: date | datetime | None
) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """The ``--source``, ``--since`` and ``--until`` clauses, each required."""
    parts = []
    if source_id is not None:
        term = tantivy.Query.term_query(SCHEMA, "source_id", source_id)
        parts.append((tantivy.Occur.Must, term))
    if since is not None or until is not None:
        # until is inclusive: a date means up to the end of that day (UTC)
        upper = None
        if until is not None:
            upper = _midnight(until) + (timedelta(days=1) if type(until) is date else timedelta())
        rng = tantivy.Query.range_query(
            SCHEMA,
            "published_at",
            tantivy.FieldType.Date,
            None if since is None else _naive_utc(_midnight(since)),
            None if upper is None else _naive_utc(upper),
            include_upper=upper is None or type(until) is not date,
        )
        parts.append((tantivy.Occur.Must, rng))
    return parts


def _phrase_words(text: str) -> list[str]:
    """The words of a query that is one quoted phrase of two words or more, else []."""
    match = _LONE_PHRASE.fullmatch(text)
    if match is None:
        return []
    words = [w.lstrip("+-") for w in _SYNTAX.sub(" ", match.group(1)).split()]
    words = [w for w in words if any(map(str.isalnum, w))]
    return words if len(words) > 1 else []


def _among(
    searcher: tantivy.Searcher, hits: list[tuple[float, tantivy.DocAddress]]
) -> tantivy.Query:
    """Only the articles of ``hits``, scoring nothing: one term query per article's ``key``.

    tantivy's term-set query walks the key dictionary with an automaton: 2.3 ms for 200 keys
    at 100,000 articles on the bench machine, against 0.65 ms for a union of term queries.
    """
    keys = searcher.fast_field_values("key", [address for _, address in hits])
    union = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "key", key))
            for key in keys
            if key is not None
        ]
    )
    return tantivy.Query.const_score_query(union, 0.0)


def _phrase_among(index: tantivy.Index, words: list[str], among: tantivy.Query) -> tantivy.Query:
    """The phrase in a title or a body of the ``among`` articles.

    One intersection per field, then their union: a union of phrase queries inside one
    intersection would be read ahead in blocks, checking the phrase everywhere again.
    """
    phrase = '"' + " ".join(words) + '"'
    clauses = []
    for field in _fields(phrase):
        in_field = index.parse_query(phrase, [field], field_boosts=_BOOSTS)
        narrowed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, among), (tantivy.Occur.Must, in_field)]
        )
        clauses.append((tantivy.Occur.Should, narrowed))
    return tantivy.Query.boolean_query(clauses)


def _rarest_word_articles(searcher: tantivy.Searcher, words: list[str]) -> int:
    """Bodies holding the rarest word of a phrase (more than any count for a phrase with
    Chinese, whose bigrams are not counted): the plain phrase search reads word positions
    in at most that many bodies."""
    phrase = " ".join(words)
    if not phrase.isascii():
        return searcher.num_docs
    terms = _ENGLISH.analyze(phrase)
    return min((searcher.doc_freq("body_en", term) for term in terms), default=0)


def _top_hits(
    index: tantivy.Index,
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    text: str,
    filters: list[tuple[tantivy.Occur, tantivy.Query]],
    limit: int,
) -> list[tuple[float, tantivy.DocAddress]]:
    """The ``limit`` best hits of ``query`` (``text`` parsed, with ``filters``).

    A lone phrase whose every word is in more than :data:`_PLAIN_PHRASE_BELOW` bodies is
    looked for in two steps: the best articles for its words, any of them
    (fast: BM25 skips what cannot reach the top; at least :data:`_MIN_CANDIDATES`, or
    :data:`_CANDIDATES_PER_HIT` x ``limit``), then the phrase in their titles and bodies. So
    tantivy checks word positions in hundreds of articles, not in every article holding the
    words: tens of thousands for a phrase of common words, 20-60 ms at 100,000 articles. Every
    hit holds the phrase, and the order is exact when at most that many articles hold any of
    the words; beyond that, an article with the phrase and a weak score for its words may rank
    below the top (the cost of the speed). Too few hits that way: the plain phrase search.
    """
    words = _phrase_words(text)
    if words and _rarest_word_articles(searcher, words) > _PLAIN_PHRASE_BELOW:
        wanted = max(_MIN_CANDIDATES, limit * _CANDIDATES_PER_HIT)
        any_word = _parsed(index, " ".join(words))  # flat: BM25 skips more than when nested
        if filters:
            any_word = tantivy.Query.boolean_query([(tantivy.Occur.Must, any_word), *filters])
        candidates = searcher.search(any_word, wanted, count=False).hits
        narrowed = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, _phrase_among(index, words, _among(searcher, candidates))),
                *filters,
            ]
        )
        hits = searcher.search(narrowed, limit, count=False).hits
        if len(hits) >= limit or len(candidates) < wanted:
            return hits  # enough, or every article with any of the words was checked
    return searcher.search(query, limit, count=False).hits


def _mark(snippet: tantivy.Snippet) -> str:
    """The snippet's fragment with each highlighted range (UTF-8 byte offsets, overlapping for
    bigrams) wrapped in ``**``."""
    raw = snippet.fragment().encode()
    spans: list[list[int]] = []
    for r in sorted(snippet.highlighted(), key=lambda r: r.start):
        if spans and r.start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], r.end)
        else:
            spans.append([r.start, r.end])
    out, last = [], 0
    for start, end in spans:
        out += [raw[last:start], b"**", raw[start:end], b"**"]
        last = end
    out.append(raw[last:])
    return " ".join(b"".join(out).decode(errors="replace").split())


def _snippet_fields(text: str) -> list[str]:
    """The body fields a snippet is looked for in: ``body_zh`` for Chinese in the query (a run
    of CJK is an English term too, but a body holding it holds its bigrams), ``body_en`` for
    any other word."""
    fields = ["body_zh"] if cjk_runs(text) else []
    if has_words_beside_cjk(text) or not fields:
        fields.append("body_en")
    return fields


def _snippet(gens: list[tuple[str, tantivy.SnippetGenerator]], body: str) -> str:
    """The best fragment with matched words in the first part of the body, else in all of it;
    the body's start when nothing in it matches (a title match)."""
    first_look = (
        body.rfind(" ", 0, _SNIPPET_FIRST_LOOK) if len(body) > 2 * _SNIPPET_FIRST_LOOK else -1
    )
    for text in (body[:first_look], body) if first_look > 0 else (body,):
        for field, gen in gens:
            if field == "body_zh" and text.isascii():
                continue
            snippet = gen.snippet_from_doc(tantivy.Document(**{field: text}))
            if snippet.highlighted():
                return _mark(snippet)
    flat = " ".join(body.split())
    return flat[:_SNIPPET_CHARS] + ("…" if len(flat) > _SNIPPET_CHARS else "")


def _ensure_current(
    warehouse_path: str | os.PathLike[str], on_note: Callable[[str], None] | None
) -> None:
    """Catch the index up with the warehouse, or note that a load holds the warehouse."""
    try:
        bring_index_up_to_date(
            warehouse_path, lock_timeout=_CHECK_TIMEOUT, writer_timeout=_CHECK_TIMEOUT
        )
    except IndexBusy:
        if on_note is not None:
            on_note(
                "a load is indexing its last batch: results are as of the batch before"
                " (the one being indexed is not searched yet)"
            )
    except WarehouseLocked:
        if on_note is not None:
            on_note(
                "a load holds the warehouse: results are as of the last batch it indexed"
                " (the batch being loaded is not searched yet)"
            )


_OPEN: dict[str, tuple[int, tantivy.Index]] = {}
"""Indexes this process has opened, by directory (with its inode: a rebuilt index is new)."""
_LOADED: dict[str, str] = {}
"""The ``meta.json`` each open index was last reloaded at (tantivy replaces it on a commit)."""


def _cached_index(warehouse_path: str | os.PathLike[str]) -> tantivy.Index | None:
    """The index, opened once per process (about 5 ms) and reloaded when a commit was made
    since the last search (0.2 ms; a look at ``meta.json`` costs a few microseconds)."""
    path = index_dir(warehouse_path)
    try:
        inode = path.stat().st_ino
    except OSError:
        return None
    key = str(path)
    cached = _OPEN.get(key)
    if cached is not None and cached[0] == inode:
        index = cached[1]
    else:
        index = open_index(warehouse_path, create=False)
        if index is None:
            return None
        _OPEN[key] = (inode, index)
        _LOADED.pop(key, None)
    try:
        st = (path / "meta.json").stat()
        meta = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        meta = ""
    if not meta or _LOADED.get(key) != meta:
        index.reload()
        _LOADED[key] = meta
    return index


def search(
    warehouse_path: str | os.PathLike[str],
    text: str,
    *,
    source_id: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    limit: int = 20,
    on_note: Callable[[str], None] | None = None,
) -> list[SearchHit]:
    """Articles matching ``text``, best BM25 score first; see the module doc for the syntax.

    ``since``/``until`` keep articles published on or after / on or before them (a date means
    that whole day, UTC). A missing warehouse gives no hits.
    """
    if not text.strip() or not holds_a_database(warehouse_path):
        return []
    _ensure_current(warehouse_path, on_note)
    index = _cached_index(warehouse_path)
    if index is None:
        return []
    searcher = index.searcher()
    filters = _filters(source_id, since, until)
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, _parsed(index, text)), *filters])
    found = _top_hits(index, searcher, query, text, filters, int(limit))
    gens = [
        (field, tantivy.SnippetGenerator.create(searcher, query, SCHEMA, field))
        for field in _snippet_fields(text)
    ]
    for _, gen in gens:
        gen.set_max_num_chars(_SNIPPET_CHARS)
    hits = []
    for score, address in found:
        doc = searcher.doc(address)
        body = (doc.get_first("body_en") or "") if doc else ""
        published = doc.get_first("published_at")
        hits.append(
            SearchHit(
                article_id=doc.get_first("article_id"),
                source_id=doc.get_first("source_id"),
                title=doc.get_first("title_en") or None,
                published_at=as_utc(published),
                url=doc.get_first("url"),
                score=round(float(score), 6),
                snippet=_snippet(gens, body),
            )
        )
    return hits


def reindex(warehouse_path: str | os.PathLike[str]) -> int:
    """Rebuild the search index from the warehouse (read-only); return the articles indexed."""
    wait_for_index(warehouse_path)
    with connect(warehouse_path, read_only=True) as con:
        count = rebuild(con, warehouse_path)
        write_stamp(warehouse_path)
        return count
