"""Reading a search query: tantivy's query language over the English and Chinese fields, the
``--source``/``--since``/``--until`` filters, and the two-step search for a lone phrase of
common words (:func:`top_hits`). No index I/O beyond the searcher it is given.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import tantivy

from pressroom.core.errors import QueryRefused
from pressroom.warehouse.search_index import SCHEMA

__all__ = ["TITLE_BOOST", "fields", "filters", "parsed", "top_hits"]

TITLE_BOOST = 3.0
"""A match in the title counts this many times a match in the body."""

_FIELDS = ["title_en", "body_en", "title_zh", "body_zh"]
_BOOSTS = {"title_en": TITLE_BOOST, "title_zh": TITLE_BOOST}
_SYNTAX = re.compile(r"[:()\[\]{}^~!\\*?<>=]|\b(?:AND|OR|NOT|IN)\b")
"""Query-language characters and operators a query is retried without when it does not parse."""
_LONE_PHRASE = re.compile(r'\s*"([^"]*)"\s*')
_CANDIDATES_PER_HIT = 10
_MIN_CANDIDATES = 200
"""A lone phrase is looked for among this many of the best articles for its words (at least;
:data:`_CANDIDATES_PER_HIT` per hit asked for): see :func:`top_hits`."""
_PLAIN_PHRASE_BELOW = 60_000
"""Bodies holding the rarest word of a lone phrase up to which the phrase is checked in all of
them (see :func:`top_hits`). Measured on 291 two-word phrases at 100,000 articles: p95 7.0-7.3
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


def _midnight(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def fields(text: str) -> list[str]:
    """The fields a query's text is looked for in: ASCII never matches a CJK bigram."""
    return _FIELDS[:2] if text.isascii() else _FIELDS


def parsed(index: tantivy.Index, text: str) -> tantivy.Query:
    """``text`` in tantivy's query language over the default fields (titles boosted); a query
    that does not parse is read again as plain words."""
    names = fields(text)
    try:
        return index.parse_query(text, names, field_boosts=_BOOSTS)
    except ValueError:
        plain = _SYNTAX.sub(" ", text)  # "Budget: 2024", "(draft", an unclosed quote: as words
        if plain.count('"') % 2:
            plain = plain.replace('"', " ")
        try:
            return index.parse_query(plain, names, field_boosts=_BOOSTS)
        except ValueError as exc:
            raise QueryRefused(f"search: cannot read the query {text!r}: {exc}") from exc


def filters(
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
    for field in fields(phrase):
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


def top_hits(
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
        any_word = parsed(index, " ".join(words))  # flat: BM25 skips more than when nested
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
