"""Full-text search over article titles and bodies, English and Chinese, on tantivy.

The index (:mod:`pressroom.warehouse.search_index`) sits beside the warehouse. A search first
makes sure the index is not behind: unless the warehouse file is unchanged since the index was
last known current, it opens the warehouse read-only for a moment, compares watermarks and
catches the index up if a loader died between its two commits. While a load holds the
warehouse, the search reads the index as the loader last committed it (at most the batch being
loaded is missing) and says so through ``on_note``.

Queries use tantivy's query language (read in :mod:`.search_query`): words (any of them may
match; BM25 ranks), phrases in double quotes, ``+word`` (required) and ``-word`` (excluded).
English words are stemmed (``councils`` finds ``council``); Chinese text is matched by
character bigrams, a run of several characters as a phrase of its bigrams. Title matches weigh
:data:`TITLE_BOOST` times body matches. A query that is one phrase of common words is looked
for in two steps (:func:`.search_query.top_hits`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import tantivy

from pressroom.core.errors import WarehouseLocked
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
from pressroom.warehouse.search_query import TITLE_BOOST, parsed, top_hits
from pressroom.warehouse.search_query import filters as query_filters

__all__ = ["TITLE_BOOST", "SearchHit", "reindex", "search"]

_SNIPPET_CHARS = 160
_SNIPPET_FIRST_LOOK = 800
"""Characters of a body a snippet is first looked for in (the whole body when they hold no
match): the snippet generator reads every word it is given, 1.3 ms for 20 bodies of 3 KB."""
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
    filters = query_filters(source_id, since, until)
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed(index, text)), *filters])
    found = top_hits(index, searcher, query, text, filters, int(limit))
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
